package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.Extender;
import com.cloudextender.core.StartupException;
import com.cloudextender.core.channel.ChannelState;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.ResultView;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/** The extender against the dev cloud, over real TLS sockets on loopback. */
class ExtenderEndToEndIT extends DevCloudTestBase {

    /** What an administrator does by hand: replaces (or with "" removes) the activation code in the file. */
    private static void setActivationCode(ExtenderFixture f, String code) throws java.io.IOException {
        String conf = Files.readString(f.config()).replaceAll("(?m)^activation\\.code=.*$",
                code.isEmpty() ? "" : "activation.code=" + code);
        Files.writeString(f.config(), conf);
    }

    private ExtenderFixture install(boolean starttls) throws Exception {
        return ExtenderFixture.install(home.resolve("x"), cloud, "acme", "machine-1", starttls, Map.of("outbox.retryInterval", "1s"));
    }

    @Test
    void registersConnectsAndRunsCoreCommandsOverDirectTls() throws Exception {
        ExtenderFixture f = install(false);
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            assertTrue(x.extenderId().startsWith("ext-"), x.extenderId());
            CommandOutcome ping = send(x, "core", "ping", "{\"echo\":\"e2e\"}");
            assertTrue(ping.isOk(), ping.toString());
            assertTrue(ping.payload().contains("\"echo\":\"e2e\""), ping.payload());
            CommandOutcome status = send(x, "core", "status", "");
            assertTrue(status.payload().contains(x.extenderId()), status.payload());
            assertTrue(status.payload().contains("\"state\":\"CONNECTED\""), status.payload());
            await("health report at the cloud", () -> cloud.extender(x.extenderId())
                    .map(v -> v.lastHealthJson() != null && v.lastHealthJson().contains("\"healthy\"")).orElse(false));
            // The activation code is sealed in the file after the first start.
            String conf = Files.readString(f.config());
            assertTrue(conf.contains("activation.code=enc:v2:"), conf);
        }
    }

    @Test
    void worksOverStarttls() throws Exception {
        try (Extender x = install(true).start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            assertTrue(send(x, "core", "ping", "{}").isOk());
        }
    }

    @Test
    void badCommandsGetClearErrorsAndTheConnectionStaysUp() throws Exception {
        try (Extender x = install(false).start()) {
            assertTrue(x.awaitConnected(T));
            assertEquals("UNKNOWN_MODULE", send(x, "nope", "x", "{}").errorCode());
            assertEquals("UNKNOWN_ACTION", send(x, "core", "nope", "{}").errorCode());
            assertEquals("INVALID_ARGUMENTS", send(x, "core", "ping", "{not json").errorCode());
            String ns = "xmlns='urn:cloudextender:1'";
            String malformed = cloud.sendRawIq(x.extenderId(), "<command " + ns + " id='m1' module='core'/>", null)
                    .get(10, TimeUnit.SECONDS);
            assertTrue(malformed.contains("code='MALFORMED'") || malformed.contains("code=\"MALFORMED\""), malformed);
            String big = "{\"x\":\"" + "a".repeat(1_100_000) + "\"}";
            String tooLarge = cloud.sendRawIq(x.extenderId(), "<command " + ns + " id='m2' module='core' action='ping'>"
                    + big + "</command>", null).get(10, TimeUnit.SECONDS);
            assertTrue(tooLarge.contains("TOO_LARGE"), tooLarge.substring(0, Math.min(500, tooLarge.length())));
            String intruder = cloud.sendRawIq(x.extenderId(), "<command " + ns + " id='m3' module='core' action='ping'/>",
                    "intruder@" + cloud.domain() + "/x").get(10, TimeUnit.SECONDS);
            assertTrue(intruder.contains("NOT_AUTHORISED"), intruder);
            // Still connected and serving.
            assertEquals(ChannelState.CONNECTED, x.channelStatus().state());
            assertTrue(send(x, "core", "ping", "{}").isOk());
        }
    }

    @Test
    void redeliveredCommandRunsOnceAndReturnsItsFirstResult() throws Exception {
        try (Extender x = install(false).start()) {
            assertTrue(x.awaitConnected(T));
            String cmd = "<command xmlns='urn:cloudextender:1' id='dup-1' module='core' action='ping'>{\"echo\":1}</command>";
            String first = cloud.sendRawIq(x.extenderId(), cmd, null).get(10, TimeUnit.SECONDS);
            assertTrue(first.contains("state='queued'") || first.contains("state=\"queued\""), first);
            await("first result", () -> cloud.results().stream().anyMatch(r -> r.commandId().equals("dup-1")));
            await("acknowledged", () -> x.outbox().pendingCount() == 0);
            String again = cloud.sendRawIq(x.extenderId(), cmd, null).get(10, TimeUnit.SECONDS);
            assertTrue(again.contains("state='done'") || again.contains("state=\"done\""), again);
            await("stored result sent again", () -> cloud.results().stream()
                    .anyMatch(r -> r.commandId().equals("dup-1") && r.timesReceived() >= 2));
        }
    }

    @Test
    void unacknowledgedResultsSurviveARestart() throws Exception {
        ExtenderFixture f = install(false);
        String id;
        cloud.setAcknowledgeResults(false);
        try {
            try (Extender x = f.start()) {
                assertTrue(x.awaitConnected(T));
                id = x.extenderId();
                cloud.sendToExtender(id, "core", "ping", "{\"echo\":\"keep me\"}", Duration.ofSeconds(10));
                await("result stored, not acknowledged", () -> x.outbox().pendingCount() == 1
                        && cloud.results().stream().anyMatch(r -> r.payload() != null && r.payload().contains("keep me")));
                x.stop(Duration.ofSeconds(2));
            }
        } finally {
            cloud.setAcknowledgeResults(true);
        }
        try (Extender x = f.start()) {
            assertEquals(id, x.extenderId(), "same identity after a restart");
            assertEquals(1, x.outbox().pendingCount(), "the result survived the restart");
            assertTrue(x.awaitConnected(T));
            await("result resent and acknowledged after restart", () -> x.outbox().pendingCount() == 0);
            assertTrue(cloud.results().stream().anyMatch(r -> r.payload() != null && r.payload().contains("keep me")
                    && r.timesReceived() >= 2));
        }
    }

    @Test
    void aCloudThatAcknowledgesEachResultTwiceChangesNothing() throws Exception {
        cloud.setResultAcknowledgements(2);
        try (Extender x = install(false).start()) {
            assertTrue(x.awaitConnected(T));
            java.time.Instant session = cloud.extender(x.extenderId()).orElseThrow().connectedSince();
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                CommandOutcome o = send(x, "core", "ping", "{\"echo\":" + i + "}");
                assertTrue(o.isOk(), o.toString());
                ids.add(o.commandId());
            }
            await("every result acknowledged", () -> x.outbox().pendingCount() == 0);
            Thread.sleep(500); // the second acknowledgements arrive after the first: give them time to do harm
            for (String id : ids) {
                ResultView r = cloud.results().stream().filter(v -> v.commandId().equals(id)).findFirst().orElseThrow();
                assertEquals(1, r.timesReceived(), "each result sent once: " + r);
            }
            assertEquals(ChannelState.CONNECTED, x.channelStatus().state());
            assertEquals(session, cloud.extender(x.extenderId()).orElseThrow().connectedSince(), "the same session");
            assertTrue(send(x, "core", "ping", "{}").isOk());
        } finally {
            cloud.setResultAcknowledgements(1);
        }
    }

    @Test
    void aSessionReplacedByAnotherLoginIsExplainedAndTheExtenderReconnects() throws Exception {
        try (ChannelLog log = new ChannelLog(); Extender x = install(false).start()) {
            assertTrue(x.awaitConnected(T));
            java.time.Instant before = cloud.extender(x.extenderId()).orElseThrow().connectedSince();
            cloud.replaceSession(x.extenderId()); // as when another connection logs in as this extender
            await("a new session", () -> {
                java.time.Instant since = cloud.extender(x.extenderId()).orElseThrow().connectedSince();
                return since != null && since.isAfter(before);
            });
            assertTrue(send(x, "core", "ping", "{}").isOk());
            List<String> lines = log.events().stream()
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertTrue(lines.stream().anyMatch(l -> l.contains("another connection logged in as this extender")
                    && l.contains("stop the other copy")), "the administrator is told what it means: " + lines);
        }
    }

    @Test
    void reconnectsAfterTheConnectionDrops() throws Exception {
        try (Extender x = install(false).start()) {
            assertTrue(x.awaitConnected(T));
            cloud.disconnect(x.extenderId());
            await("noticed the drop", () -> x.channelStatus().state() != ChannelState.CONNECTED);
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            assertTrue(send(x, "core", "ping", "{}").isOk());
        }
    }

    /**
     * Two copies of one installation take the session from each other in turn. Each conflict in a row must
     * double the delay before the copy logs in again (the fixture's reconnect delays: 200 ms, at most 2 s), and
     * from the second one the log names the cause; a long session or an ordinary drop ends the streak.
     */
    @Test
    void sessionsEndedAgainAndAgainByAnotherLoginComeBackLaterEachTimeAndNameTheSecondCopy() throws Exception {
        try (ChannelLog log = new ChannelLog(); Extender x = install(false).start()) {
            assertTrue(x.awaitConnected(T));
            String id = x.extenderId();
            List<Long> gaps = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                gaps.add(replacedAndBack(x, () -> cloud.replaceSession(id)));
            }
            // Delays drawn from [d/2, d] with d = 200, 400, 800, 1600, 2000 ms: the fifth waits at least 1 s, the
            // first at most 200 ms (both plus the time to log in again). Reconnecting at once, both stay short.
            assertTrue(gaps.get(4) >= 1000, "the fifth conflict in a row waits longer: " + gaps);
            assertTrue(gaps.get(0) < gaps.get(4), "the first conflict is retried soon: " + gaps);
            List<ch.qos.logback.classic.spi.ILoggingEvent> errors = log.events().stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR).toList();
            assertEquals(4, errors.size(), "one error per conflict from the second on: " + errors);
            assertTrue(errors.get(3).getFormattedMessage().contains("5 times in a row")
                    && errors.get(3).getFormattedMessage().contains("Stop the other copy"), errors.get(3).toString());

            // A session that lasted more than twice reconnect.maxDelay (2 s here) was no ping-pong: the conflict
            // that ends it is a first one, retried at the initial delay. Without the reset it would wait 1-2 s.
            Thread.sleep(4_500);
            int beforeLong = log.events().size();
            long gap = replacedAndBack(x, () -> cloud.replaceSession(id));
            List<ch.qos.logback.classic.spi.ILoggingEvent> afterLong = log.events();
            assertTrue(afterLong.subList(beforeLong, afterLong.size()).stream()
                    .noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR), afterLong.toString());
            assertTrue(gap < 1000, "after a long session the backoff starts again: " + gap + " ms");

            // A connection lost for another reason ends the streak: the next conflict is a first one again.
            replacedAndBack(x, () -> cloud.disconnect(id));
            int before = log.events().size();
            replacedAndBack(x, () -> cloud.replaceSession(id));
            List<ch.qos.logback.classic.spi.ILoggingEvent> events = log.events();
            List<ch.qos.logback.classic.spi.ILoggingEvent> after = events.subList(before, events.size());
            assertTrue(after.stream().noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR), after.toString());
            assertTrue(after.stream().anyMatch(e -> e.getFormattedMessage().contains("another connection logged in")),
                    after.toString());
        }
    }

    /** Ends the extender's session with {@code cut}; returns the milliseconds until the cloud sees a new one. */
    private static long replacedAndBack(Extender x, Runnable cut) throws InterruptedException {
        java.time.Instant before = cloud.extender(x.extenderId()).orElseThrow().connectedSince();
        assertNotNull(before, "connected before the cut");
        long t0 = System.nanoTime();
        cut.run();
        await("a new session", () -> {
            java.time.Instant since = cloud.extender(x.extenderId()).orElseThrow().connectedSince();
            return since != null && since.isAfter(before);
        });
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** What the channel logs while this is open. */
    private static final class ChannelLog implements AutoCloseable {
        private final ch.qos.logback.classic.Logger channel = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(com.cloudextender.core.channel.Channel.class);
        private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();

        ChannelLog() {
            captured.start();
            channel.addAppender(captured);
        }

        List<ch.qos.logback.classic.spi.ILoggingEvent> events() {
            synchronized (captured) {
                return List.copyOf(captured.list);
            }
        }

        @Override
        public void close() {
            channel.detachAppender(captured);
        }
    }

    @Test
    void copiedStateRegistersAsANewExtender() throws Exception {
        ExtenderFixture original = install(false);
        String originalId;
        try (Extender x = original.start()) {
            assertTrue(x.awaitConnected(T));
            originalId = x.extenderId();
        }
        // The whole installation folder appears on another machine. Its sealed secrets are bound to the
        // first machine, so the copy cannot even read the old activation code: it says which key to re-enter.
        ExtenderFixture copy = original.copyTo(home.resolve("clone"), "machine-2");
        StartupException e = org.junit.jupiter.api.Assertions.assertThrows(StartupException.class, copy::start);
        assertTrue(e.getMessage().contains("activation.code"), e.getMessage());
        // The administrator gives the clone a fresh code: it registers as a new extender, never reusing the id.
        setActivationCode(copy, cloud.createActivationCode("acme"));
        try (Extender x = copy.start()) {
            assertNotEquals(originalId, x.extenderId());
            assertTrue(x.awaitConnected(T));
        }
        // The original machine still runs as the original extender.
        try (Extender x = original.start()) {
            assertEquals(originalId, x.extenderId());
        }
    }

    @Test
    void refusedCredentialLeadsToReRegistration() throws Exception {
        ExtenderFixture f = install(false);
        // Codes register one extender by default; re-registering with the configured code needs a reusable one.
        setActivationCode(f, cloud.addActivationCode("REUS-ABLE-CODE-0001", "acme", true));
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T));
            String old = x.extenderId();
            cloud.revokeCredential(old);
            cloud.disconnect(old);
            await("re-registered with a new id", () -> !old.equals(x.extenderId()) && x.channel().isConnected());
            assertTrue(send(x, "core", "ping", "{}").isOk());
        }
    }

    @Test
    void refusedCredentialWithoutActivationCodeStopsWithAClearState() throws Exception {
        ExtenderFixture f = install(false);
        String id;
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T));
            id = x.extenderId();
        }
        // The administrator removed the activation code after setup.
        setActivationCode(f, "");
        cloud.revokeCredential(id);
        try (Extender x = f.start()) {
            await("rejected state", () -> x.channelStatus().state() == ChannelState.CREDENTIAL_REJECTED);
            assertNotNull(x.channelStatus().lastError());
            assertTrue(x.channelStatus().lastError().contains("refused the credential"), x.channelStatus().lastError());
            Thread.sleep(1500);
            assertEquals(ChannelState.CREDENTIAL_REJECTED, x.channelStatus().state(), "no silent reconnect loop");
        }
    }

    @Test
    void failedReRegistrationKeepsTheStoredIdentity() throws Exception {
        ExtenderFixture f = install(false);
        String id;
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T));
            id = x.extenderId();
        }
        // The cloud refuses the credential, and the activation code in the file is no longer valid.
        setActivationCode(f, "not-a-valid-code");
        cloud.revokeCredential(id);
        try (Extender x = f.start()) {
            await("rejected state", () -> x.channelStatus().state() == ChannelState.CREDENTIAL_REJECTED);
            assertEquals(id, x.extenderId());
        }
        // The failed re-registration did not wipe the identity: it is still there for the next attempt.
        Path data = f.home().resolve("data");
        try (com.cloudextender.core.store.LocalStore store = com.cloudextender.core.store.LocalStore.open(data)) {
            var loaded = new com.cloudextender.core.identity.IdentityStore(store,
                    com.cloudextender.core.secret.MachineKey.open(data, "machine-1")).load();
            var found = org.junit.jupiter.api.Assertions.assertInstanceOf(
                    com.cloudextender.core.identity.IdentityStore.Found.class, loaded);
            assertEquals(id, found.identity().extenderId());
        }
    }

    @Test
    void untrustedCertificateIsNeverAccepted() throws Exception {
        try (DevCloud other = DevCloud.start(DevCloudOptions.ephemeral(home.resolve("other-cloud")))) {
            // Trust the other cloud's certificate, but connect to ours: verification must fail.
            ExtenderFixture f = ExtenderFixture.install(home, cloud, "acme", "machine-1", false,
                    Map.of("cloud.trustStore", other.certificatePem().toAbsolutePath().toString(),
                            "xmpp.username", "someone", "xmpp.password", "pw", "cloud.addresses", cloud.domain()));
            setActivationCode(f, "");
            try (Extender x = f.start()) {
                await("a failed attempt", () -> x.channelStatus().attempts() >= 1);
                assertFalse(x.channel().isConnected());
                String err = x.channelStatus().lastError();
                assertTrue(err.contains("certif") || err.contains("PKIX") || err.contains("verification"), err);
            }
        }
    }

    @Test
    void missingActivationCodeIsAClearStartupError() throws Exception {
        ExtenderFixture f = install(false);
        setActivationCode(f, "");
        StartupException e = org.junit.jupiter.api.Assertions.assertThrows(StartupException.class, f::start);
        assertTrue(e.getMessage().contains("activation.code"), e.getMessage());
    }

    @Test
    void commandsToACustomerAreSpreadAndSurviveAnExtenderDrop() throws Exception {
        // 'a' reconnects only after a long delay, so once dropped it cannot deliver its result in time.
        ExtenderFixture a = ExtenderFixture.install(home.resolve("a"), cloud, "globex", "m-a", false,
                Map.of("reconnect.initialDelay", "60s", "reconnect.maxDelay", "60s"));
        ExtenderFixture b = ExtenderFixture.install(home.resolve("b"), cloud, "globex", "m-b", false, Map.of());
        try (Extender xa = a.start(); Extender xb = b.start()) {
            assertTrue(xa.awaitConnected(T) && xb.awaitConnected(T));
            await("both healthy at the cloud", () -> cloud.extenders().stream()
                    .filter(v -> v.customer().equals("globex") && v.connected() && v.lastHealthJson() != null).count() == 2);
            java.util.Set<String> served = new java.util.HashSet<>();
            for (int i = 0; i < 6; i++) {
                CommandOutcome o = cloud.sendToCustomer("globex", "core", "ping", "{}", Duration.ofSeconds(10))
                        .get(30, TimeUnit.SECONDS);
                assertTrue(o.isOk());
                served.add(o.extenderId());
            }
            assertEquals(2, served.size(), "commands spread over both extenders");
            // Two long commands, one on each extender (round robin); then one extender drops off: the cloud
            // re-sends its command to the other, so both finish, both on the survivor.
            var first = cloud.sendToCustomer("globex", "core", "sleep", "{\"millis\":1500}", Duration.ofSeconds(20));
            var second = cloud.sendToCustomer("globex", "core", "sleep", "{\"millis\":1500}", Duration.ofSeconds(20));
            Thread.sleep(300);
            cloud.disconnect(xa.extenderId());
            CommandOutcome o1 = first.get(40, TimeUnit.SECONDS);
            CommandOutcome o2 = second.get(40, TimeUnit.SECONDS);
            assertNull(o1.errorCode(), o1.toString());
            assertNull(o2.errorCode(), o2.toString());
            assertEquals(xb.extenderId(), o1.extenderId());
            assertEquals(xb.extenderId(), o2.extenderId());
        }
    }
    @Test
    void registrationAndChannelBothGoThroughTheAuthenticatingProxy() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy("corp-user", "Proxy-Pw-1")) {
            ExtenderFixture f = ExtenderFixture.install(home.resolve("p"), cloud, "acme", "machine-p", false,
                    Map.of("proxy.host", "127.0.0.1", "proxy.port", Integer.toString(proxy.port()),
                            "proxy.username", "corp-user", "proxy.password", "Proxy-Pw-1",
                            "proxy.authSchemes", "basic"));
            try (Extender x = f.start()) {
                assertTrue(x.awaitConnected(T), x.channelStatus().toString());
                assertTrue(send(x, "core", "ping", "{}").isOk());
            }
            String api = "localhost:" + cloud.apiUrl().getPort();
            String xmpp = "localhost:" + cloud.directTlsPort();
            assertTrue(proxy.tunnels.contains(api), "registration went through the proxy: " + proxy.tunnels);
            assertTrue(proxy.tunnels.contains(xmpp), "the channel went through the proxy: " + proxy.tunnels);
            assertFalse(Files.readString(f.config()).contains("Proxy-Pw-1"), "proxy password sealed at rest");
        }
    }

    @Test
    void wrongProxyPasswordIsAClearError() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy("corp-user", "Proxy-Pw-1")) {
            ExtenderFixture f = ExtenderFixture.install(home.resolve("q"), cloud, "acme", "machine-q", false,
                    Map.of("proxy.host", "127.0.0.1", "proxy.port", Integer.toString(proxy.port()),
                            "proxy.username", "corp-user", "proxy.password", "wrong",
                            "proxy.authSchemes", "basic"));
            StartupException e = org.junit.jupiter.api.Assertions.assertThrows(StartupException.class, f::start);
            assertTrue(e.getMessage().contains("407") || e.getMessage().toLowerCase().contains("proxy"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "no secret in the message: " + e.getMessage());
            assertFalse(proxy.refused.isEmpty());
        }
    }
    @Test
    void bulkDataGoesThroughAnUploadSlotWithItsChecksum() throws Exception {
        try (Extender x = install(false).start()) {
            assertTrue(x.awaitConnected(T));
            byte[] data = new byte[3 * 1024 * 1024 + 17];
            new java.util.Random(5).nextBytes(data);
            Path file = home.resolve("snapshot.json.gz");
            Files.write(file, data);
            var receipt = x.uploader().upload(file, "snapshot.json.gz", "application/gzip");
            assertEquals(data.length, receipt.size());
            var stored = cloud.uploads().stream().filter(u -> u.sha256().equalsIgnoreCase(receipt.sha256())).findFirst()
                    .orElseThrow(() -> new AssertionError("upload not at the cloud: " + cloud.uploads()));
            assertTrue(stored.complete());
            assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(stored.file())), "bytes arrive unchanged");
        }
    }

    @Test
    void aStopWhileConnectingLeavesNoConnectionOpen() throws Exception {
        ExtenderFixture f = install(false);
        for (int i = 0; i < 5; i++) {
            Extender x = f.start(); // returns once connecting has begun
            String id = x.extenderId();
            Thread.sleep(i * 15L); // close at different moments of the attempt
            x.close();
            Thread.sleep(300);
            assertFalse(cloud.extender(id).map(v -> v.connected()).orElse(false),
                    "attempt " + i + ": the cloud still sees a connection after the extender closed");
        }
    }
}
