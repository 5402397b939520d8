package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.protocol.AcceptedIq;
import com.cloudextender.core.protocol.CommandIq;

/** Commands, results, health and redelivery: docs/PROTOCOL.md sections 3 to 5. */
class CommandsTest extends WithDevCloud {

    private static CommandOutcome await(CompletableFuture<CommandOutcome> outcome) throws Exception {
        return outcome.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCommandRoundTripCompletesTheOutcomeAndTheResultIsAcknowledged() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            CompletableFuture<CommandOutcome> outcome = cloud.sendToExtender(ext.id, "core", "ping",
                    "{\"echo\":\"hi\"}", Duration.ofSeconds(5));

            CommandIq command = ext.nextCommand(5);
            assertEquals("core", command.module());
            assertEquals("ping", command.action());
            assertEquals(5_000L, command.timeoutMillis());
            assertEquals("{\"echo\":\"hi\"}", command.arguments());
            assertEquals("localhost", command.getFrom().toString());
            assertFalse(outcome.isDone());

            IQ ack = ext.sendResult(command.commandId(), null, "{\"echo\":\"hi\",\"time\":\"t\"}");

            assertEquals(IQ.Type.result, ack.getType());
            CommandOutcome done = await(outcome);
            assertTrue(done.isOk());
            assertEquals(command.commandId(), done.commandId());
            assertEquals(ext.id, done.extenderId());
            assertEquals("{\"echo\":\"hi\",\"time\":\"t\"}", done.payload());
            assertNull(done.refusedCode());
            ResultView stored = cloud.results().get(0);
            assertEquals(command.commandId(), stored.commandId());
            assertEquals(1, stored.timesReceived());
        }
    }

    @Test
    void aDuplicateResultIsAcknowledgedCountedAndDoesNotReplaceTheFirst() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectStartTls()) {
            CompletableFuture<CommandOutcome> outcome = cloud.sendToExtender(ext.id, "core", "ping", "{}",
                    Duration.ofSeconds(5));
            String id = ext.nextCommand(5).commandId();
            ext.sendResult(id, null, "{\"n\":1}");

            IQ secondAck = ext.sendResult(id, "MODULE_FAILURE", "{\"message\":\"late copy\"}");

            assertEquals(IQ.Type.result, secondAck.getType());
            assertEquals("{\"n\":1}", await(outcome).payload());
            ResultView stored = cloud.results().get(0);
            assertEquals(2, stored.timesReceived());
            assertNull(stored.errorCode());
            assertEquals("{\"n\":1}", stored.payload());
        }
    }

    @Test
    void anErrorResultCompletesTheOutcomeWithItsCode() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            CompletableFuture<CommandOutcome> outcome = cloud.sendToExtender(ext.id, "nope", "x", "{}", null);
            CommandIq command = ext.nextCommand(5);
            assertNull(command.timeoutMillis());

            ext.sendResult(command.commandId(), "UNKNOWN_MODULE", "{\"message\":\"no module 'nope'\"}");

            CommandOutcome done = await(outcome);
            assertFalse(done.isOk());
            assertEquals("UNKNOWN_MODULE", done.errorCode());
            assertNull(done.refusedCode());
        }
    }

    @Test
    void aRefusalBecomesAnOutcomeWithTheRefusalCode() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            ext.answer = c -> FakeExtender.refusal(c, "BUSY", "the work queue is full");

            CommandOutcome done = await(cloud.sendToExtender(ext.id, "core", "sleep", "{\"millis\":1}",
                    Duration.ofSeconds(5)));

            assertFalse(done.isOk());
            assertEquals("BUSY", done.refusedCode());
            assertEquals("BUSY", done.errorCode());
            assertEquals("{\"message\":\"the work queue is full\"}", done.payload());
            assertEquals(ext.id, done.extenderId());
        }
    }

    @Test
    void pendingCommandsAreSentAgainWithTheSameIdAfterAReconnect() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls();
        CompletableFuture<CommandOutcome> outcome = cloud.sendToExtender(ext.id, "core", "ping", "{}",
                Duration.ofSeconds(20));
        String first = ext.nextCommand(5).commandId(); // accepted, but no result yet

        cloud.disconnect(ext.id);
        ChannelTest.waitUntil(() -> !ext.connection().isConnected());
        // The client may see the close before the cloud's session listener has run.
        ChannelTest.waitUntil(() -> !cloud.extender(ext.id).orElseThrow().connected());
        ext.connectStartTls();

        CommandIq again = ext.nextCommand(5);
        assertEquals(first, again.commandId());
        ext.sendResult(again.commandId(), null, "{}");
        CommandOutcome done = await(outcome);
        assertTrue(done.isOk());
        ext.close();
    }

    @Test
    void aCommandForAnOfflineExtenderWaitsUntilItConnects() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme");
        CompletableFuture<CommandOutcome> outcome = cloud.sendToExtender(ext.id, "core", "ping", "{}",
                Duration.ofSeconds(20));

        ext.connectDirectTls();

        String id = ext.nextCommand(5).commandId();
        ext.sendResult(id, null, "{}");
        assertTrue(await(outcome).isOk());
        ext.close();
    }

    @Test
    void aCustomerCommandGoesToAHealthyExtenderAndMovesWhenItDrops() throws Exception {
        FakeExtender a = FakeExtender.register(cloud, "acme").connectDirectTls();
        FakeExtender b = FakeExtender.register(cloud, "acme").connectDirectTls();
        FakeExtender other = FakeExtender.register(cloud, "globex").connectDirectTls();
        a.sendHealth("healthy");
        b.sendHealth("healthy");
        other.sendHealth("healthy");

        CompletableFuture<CommandOutcome> outcome = cloud.sendToCustomer("acme", "core", "ping", "{}",
                Duration.ofSeconds(20));
        CommandIq first = waitForCommand(a, b);
        FakeExtender chosen = a.commands.contains(first) ? a : b;
        FakeExtender survivor = chosen == a ? b : a;

        cloud.disconnect(chosen.id);

        CommandIq moved = survivor.nextCommand(5);
        assertEquals(first.commandId(), moved.commandId());
        survivor.sendResult(moved.commandId(), null, "{\"from\":\"survivor\"}");
        CommandOutcome done = await(outcome);
        assertEquals(survivor.id, done.extenderId());
        assertTrue(other.commands.isEmpty(), "a command for acme must not go to another customer");
        a.close();
        b.close();
        other.close();
    }

    @Test
    void customerCommandsAreSpreadRoundRobinOverHealthyExtendersOnly() throws Exception {
        FakeExtender a = FakeExtender.register(cloud, "acme").connectDirectTls();
        FakeExtender b = FakeExtender.register(cloud, "acme").connectDirectTls();
        FakeExtender degraded = FakeExtender.register(cloud, "acme").connectDirectTls();
        a.sendHealth("healthy");
        b.sendHealth("healthy");
        degraded.sendHealth("degraded");

        for (int i = 0; i < 4; i++) {
            cloud.sendToCustomer("acme", "core", "ping", "{}", Duration.ofSeconds(20));
        }

        ChannelTest.waitUntil(() -> a.commands.size() + b.commands.size() == 4);
        assertEquals(2, a.commands.size());
        assertEquals(2, b.commands.size());
        assertTrue(degraded.commands.isEmpty());
        a.close();
        b.close();
        degraded.close();
    }

    @Test
    void aCustomerCommandWaitsForAHealthReport() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls();
        CompletableFuture<CommandOutcome> outcome = cloud.sendToCustomer("acme", "core", "ping", "{}",
                Duration.ofSeconds(20));
        Thread.sleep(200);
        assertTrue(ext.commands.isEmpty(), "connected but not yet reported healthy");

        ext.sendHealth("healthy");

        ext.sendResult(ext.nextCommand(5).commandId(), null, "{}");
        assertTrue(await(outcome).isOk());
        assertTrue(cloud.extender(ext.id).orElseThrow().lastHealthJson().contains("\"healthy\""));
        ext.close();
    }

    @Test
    void withoutAcknowledgementResultsAreStoredButNotAnswered() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            CompletableFuture<CommandOutcome> outcome = cloud.sendToExtender(ext.id, "core", "ping", "{}",
                    Duration.ofSeconds(5));
            String id = ext.nextCommand(5).commandId();
            cloud.setAcknowledgeResults(false);
            ext.connection().setReplyTimeout(500);

            assertThrows(SmackException.NoResponseException.class, () -> ext.sendResult(id, null, "{}"));

            assertTrue(await(outcome).isOk());
            assertEquals(1, cloud.results().size());
            cloud.setAcknowledgeResults(true);
            assertEquals(IQ.Type.result, ext.sendResult(id, null, "{}").getType());
            assertEquals(2, cloud.results().get(0).timesReceived());
        }
    }

    @Test
    void aCommandWithoutResultTimesOutLocally() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            CommandOutcome done = cloud.sendToExtender(ext.id, "core", "sleep", "{}", Duration.ofMillis(50))
                    .get(10, TimeUnit.SECONDS);

            assertEquals("TIMEOUT", done.errorCode());
            assertTrue(done.payload().contains("\"local\":true"), done.payload());
            assertEquals(ext.id, done.extenderId());
            assertTrue(done.elapsedMillis() >= 2_000, "deadline is the time limit plus a margin");
        }
    }

    @Test
    void unknownTargetsFailAtOnce() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> cloud.sendToExtender("ext-nobody", "core", "ping", "{}", null).get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertThrows(ExecutionException.class,
                () -> cloud.sendToCustomer("nobody", "core", "ping", "{}", null).get(1, TimeUnit.SECONDS));
    }

    @Test
    void rawIqsCanBeSentFromAnotherAddress() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            ext.answer = c -> c.getFrom().toString().equals("localhost") ? new AcceptedIq(
                    c.commandId(), "queued") : FakeExtender.refusal(c, "NOT_AUTHORISED", "not a cloud address");

            String answer = cloud.sendRawIq(ext.id,
                    "<command xmlns='urn:cloudextender:1' id='c1' module='core' action='ping'/>", "intruder@localhost")
                    .get(10, TimeUnit.SECONDS);

            assertEquals("intruder@localhost", ext.nextCommand(5).getFrom().toString());
            assertTrue(answer.contains("type='error'"), answer);
            assertTrue(answer.contains("code='NOT_AUTHORISED'"), answer);
            String accepted = cloud.sendRawIq(ext.id,
                    "<command xmlns='urn:cloudextender:1' id='c2' module='core' action='ping'/>", null)
                    .get(10, TimeUnit.SECONDS);
            assertTrue(accepted.contains("<accepted xmlns='urn:cloudextender:1' id='c2'"), accepted);
        }
    }

    private static CommandIq waitForCommand(FakeExtender a, FakeExtender b) throws InterruptedException {
        ChannelTest.waitUntil(() -> !a.commands.isEmpty() || !b.commands.isEmpty());
        return !a.commands.isEmpty() ? a.commands.peek() : b.commands.peek();
    }
}
