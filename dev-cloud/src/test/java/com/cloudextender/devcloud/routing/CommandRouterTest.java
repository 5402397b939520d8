package com.cloudextender.devcloud.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.protocol.AcceptedIq;
import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.core.protocol.ResultIq;
import com.cloudextender.devcloud.CommandOutcome;

/** The router's delivery rules, with a recording transport instead of sockets. */
class CommandRouterTest {
    /** One delivery the router made. */
    record Delivery(String extenderId, CommandIq command, CompletableFuture<IQ> answer) {
    }

    final List<Delivery> deliveries = new ArrayList<>();
    final ExtenderPresence presence = new ExtenderPresence();
    final CommandRouter router = new CommandRouter((id, command) -> {
        CompletableFuture<IQ> answer = new CompletableFuture<>();
        deliveries.add(new Delivery(id, command, answer));
        return answer;
    }, presence);

    @AfterEach
    void close() {
        router.close();
    }

    private Object connect(String id, String customer, boolean healthy) {
        Object session = new Object();
        presence.connected(id, customer, session, Instant.now());
        router.onConnected(id);
        if (healthy) {
            router.onHealth(id, presence.health(id, "{\"state\":\"healthy\"}"));
        }
        return session;
    }

    private static ResultIq result(String commandId) {
        return new ResultIq(commandId, "core", "ping", null, 0, "{}");
    }

    @Test
    void anErrorWithoutRefusalIsRetriedAtTheNextHealthReportNotAtOnce() {
        connect("ext-a", "acme", false);
        SentCommand sent = router.send(CommandTarget.extender("ext-a"), "core", "ping", "{}", Duration.ofSeconds(30));
        Delivery first = deliveries.get(0);
        IQ unavailable = IQ.createErrorResponse(first.command(),
                StanzaError.getBuilder(StanzaError.Condition.service_unavailable).build());

        first.answer().complete(unavailable);
        assertEquals(1, deliveries.size());
        router.onHealth("ext-a", presence.health("ext-a", "{\"state\":\"degraded\"}"));

        assertEquals(2, deliveries.size());
        assertEquals(first.command().commandId(), deliveries.get(1).command().commandId());
        assertFalse(sent.outcome().isDone());
    }

    @Test
    void aCustomerCommandWhoseDeliveryFailedBeforeTheDisconnectWasSeenStillMoves() {
        Object sessionA = connect("ext-a", "acme", true);
        connect("ext-b", "acme", true);
        SentCommand sent = router.send(CommandTarget.customer("acme"), "core", "ping", "{}", Duration.ofSeconds(30));
        Delivery first = deliveries.get(0);
        assertEquals("ext-a", first.extenderId(), "round robin starts with the first extender");

        // The connection closes: its pending IQ fails first, the session's end is seen after.
        first.answer().completeExceptionally(new IOException("connection closed"));
        presence.disconnected("ext-a", sessionA);
        router.onDisconnected("ext-a");

        assertEquals(2, deliveries.size(), "the command must move to the other healthy extender at once");
        assertEquals("ext-b", deliveries.get(1).extenderId());
        assertEquals(first.command().commandId(), deliveries.get(1).command().commandId());
        assertFalse(sent.outcome().isDone());
    }

    @Test
    void aCustomersSyncGoesToTheLeaseHolderAndOtherCommandsGoRoundRobin() {
        java.util.Map<String, String> holders = new java.util.HashMap<>();
        CommandRouter leased = new CommandRouter((id, command) -> {
            CompletableFuture<IQ> answer = new CompletableFuture<>();
            deliveries.add(new Delivery(id, command, answer));
            return answer;
        }, presence, null, (customer, lease) -> java.util.Optional.ofNullable(holders.get(customer + "/" + lease)));
        try {
            for (String id : List.of("ext-a", "ext-b", "ext-c")) {
                presence.connected(id, "acme", new Object(), Instant.now());
                leased.onConnected(id);
                leased.onHealth(id, presence.health(id, "{\"state\":\"healthy\"}"));
            }
            holders.put("acme/directory.sync", "ext-c");
            for (int i = 0; i < 3; i++) {
                leased.send(CommandTarget.customer("acme"), "directory", i == 2 ? "resync" : "sync", "{}",
                        Duration.ofSeconds(30));
            }
            leased.send(CommandTarget.customer("acme"), "core", "ping", "{}", Duration.ofSeconds(30));
            leased.send(CommandTarget.customer("acme"), "core", "ping", "{}", Duration.ofSeconds(30));
            assertEquals(List.of("ext-c", "ext-c", "ext-c", "ext-a", "ext-b"),
                    deliveries.stream().map(Delivery::extenderId).toList());
            // No holder known (not granted yet, or expired): round robin, and the extender says if it cannot.
            holders.clear();
            leased.send(CommandTarget.customer("acme"), "directory", "sync", "{}", Duration.ofSeconds(30));
            assertEquals("ext-c", deliveries.get(5).extenderId());
        } finally {
            leased.close();
        }
    }

    @Test
    void anAnswerToAnOlderDeliveryIsIgnored() {
        Object oldSession = connect("ext-a", "acme", false);
        SentCommand sent = router.send(CommandTarget.extender("ext-a"), "core", "ping", "{}", Duration.ofSeconds(30));
        presence.disconnected("ext-a", oldSession);
        router.onDisconnected("ext-a");
        connect("ext-a", "acme", false); // re-sent on the new session

        deliveries.get(0).answer().completeExceptionally(new IOException("old connection closed"));
        router.onHealth("ext-a", false);

        assertEquals(2, deliveries.size(), "the stale failure must not unassign the live delivery");
        deliveries.get(1).answer().complete(new AcceptedIq(sent.commandId(), "queued"));
        router.onResult("ext-a", result(sent.commandId()));
        assertTrue(sent.outcome().join().isOk());
    }

    @Test
    void aCustomerCommandWaitsWhenNoExtenderIsHealthyAndMovesOnDisconnect() {
        SentCommand sent = router.send(CommandTarget.customer("acme"), "core", "ping", "{}", Duration.ofSeconds(30));
        connect("ext-a", "acme", false);
        assertTrue(deliveries.isEmpty());

        Object a = connect("ext-a", "acme", true);
        connect("ext-b", "acme", true);
        assertEquals(1, deliveries.size());
        assertEquals("ext-a", deliveries.get(0).extenderId());

        presence.disconnected("ext-a", a);
        router.onDisconnected("ext-a");

        assertEquals(2, deliveries.size());
        assertEquals("ext-b", deliveries.get(1).extenderId());
        router.onResult("ext-b", result(sent.commandId()));
        CommandOutcome outcome = sent.outcome().join();
        assertEquals("ext-b", outcome.extenderId());
        assertTrue(router.status(sent.commandId()).orElseThrow().isDone());
        assertEquals(0, router.pendingCount());
    }

    @Test
    void theEndOfAnAlreadyReplacedSessionChangesNothing() {
        Object old = connect("ext-a", "acme", true);
        connect("ext-a", "acme", true); // a new session replaced the old one

        assertFalse(presence.disconnected("ext-a", old));
        assertTrue(presence.isConnected("ext-a"));
        assertEquals(List.of("ext-a"), presence.eligible("acme"));
    }

    @Test
    void anExtenderNeverHasMoreUnansweredCommandsThanItsCapacity() {
        presence.connected("ext-a", "acme", new Object(), Instant.now());
        List<SentCommand> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // a backlog, waiting while the extender is away
            sent.add(router.send(CommandTarget.extender("ext-a"), "core", "ping", "{}", Duration.ofSeconds(30)));
        }
        deliveries.clear();
        router.onConnected("ext-a");
        assertEquals(CommandRouter.INITIAL_WINDOW, deliveries.size(), "before the first report: the initial window");

        router.onHealth("ext-a", true, 20);
        assertEquals(20, deliveries.size(), "the report's capacity");
        assertEquals(20, router.unansweredAt("ext-a"));
        for (int i = 0; i < 5; i++) {
            deliveries.get(i).answer().complete(new AcceptedIq(deliveries.get(i).command().commandId(), "queued"));
        }
        assertEquals(20, deliveries.size(), "accepted is not answered: the result is");

        for (int i = 0; i < 20; i++) {
            router.onResult("ext-a", result(deliveries.get(i).command().commandId()));
            assertTrue(router.unansweredAt("ext-a") <= 20);
        }
        assertEquals(40, deliveries.size(), "each result made room for one more, in order");
        assertEquals(sent.get(39).commandId(), deliveries.get(39).command().commandId());
        for (int i = 20; i < 40; i++) {
            router.onResult("ext-a", result(deliveries.get(i).command().commandId()));
        }
        assertEquals(0, router.unansweredAt("ext-a"));
        assertTrue(sent.stream().allMatch(c -> c.outcome().isDone() && c.outcome().join().isOk()));
    }

    @Test
    void aRefusalOrADisconnectFreesTheRoomAndAReportWithoutCapacityLiftsTheLimit() {
        presence.connected("ext-a", "acme", new Object(), Instant.now());
        router.onConnected("ext-a");
        router.onHealth("ext-a", true, 2);
        for (int i = 0; i < 5; i++) {
            router.send(CommandTarget.extender("ext-a"), "core", "ping", "{}", Duration.ofSeconds(30));
        }
        assertEquals(2, deliveries.size());
        Delivery first = deliveries.get(0);
        first.answer().complete(IQ.createErrorResponse(first.command(), StanzaError.getBuilder(
                StanzaError.Condition.bad_request).addExtension(new com.cloudextender.core.protocol.RefusedElement(
                        "MALFORMED", "x")).build()));
        assertEquals(3, deliveries.size(), "a refusal is an answer");

        router.onHealth("ext-a", true, null);
        assertEquals(5, deliveries.size(), "no capacity advertised: no limit");
        assertEquals(Integer.valueOf(7), CommandRouter.advertisedCapacity("{\"capacity\":{\"commands\":7}}"));
        assertEquals(null, CommandRouter.advertisedCapacity("{\"capacity\":{\"commands\":0}}"));
        assertEquals(null, CommandRouter.advertisedCapacity("{\"state\":\"healthy\"}"));
    }
}
