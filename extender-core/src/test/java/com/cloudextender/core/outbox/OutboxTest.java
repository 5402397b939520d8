package com.cloudextender.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.store.LocalStore;

class OutboxTest {
    @TempDir
    Path data;

    static OutboxEntry entry(String id) {
        return new OutboxEntry(id, "core", "ping", "cloud.test", null, "{\"n\":1}", 3, 1000, 0);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void acknowledgedResultLeavesPendingAndIsRemembered() throws Exception {
        FakeTransport t = new FakeTransport();
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), Clock.systemUTC(), TestSecrets.box())) {
            o.submit(entry("c1"));
            await(() -> o.pendingCount() == 0 && o.find("c1").map(e -> e.ackedAt() > 0).orElse(false));
            assertEquals(1, t.sent.size());
        }
    }

    @Test
    void unacknowledgedResultSurvivesRestartAndIsSentAgain() throws Exception {
        FakeTransport t = new FakeTransport();
        t.autoAck = false;
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), Clock.systemUTC(), TestSecrets.box())) {
            o.submit(entry("c1"));
            await(() -> t.sent.size() == 1);
            assertEquals(1, o.pendingCount());
        }
        FakeTransport t2 = new FakeTransport();
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t2, Duration.ofDays(7), Clock.systemUTC(), TestSecrets.box())) {
            assertEquals(1, o.pendingCount());
            assertTrue(o.find("c1").isPresent());
            o.sendAllPending();
            await(() -> o.pendingCount() == 0);
            assertEquals("c1", t2.sent.get(0).commandId());
            assertEquals("{\"n\":1}", t2.sent.get(0).payload());
        }
    }

    @Test
    void resultIsStoredBeforeItIsSent() throws Exception {
        FakeTransport t = new FakeTransport();
        t.autoAck = false;
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), Clock.systemUTC(), TestSecrets.box())) {
            for (int i = 0; i < 500; i++) {
                o.submit(entry("c" + i));
            }
            await(() -> t.sent.size() == 500);
            // Everything sent is already in the committed pending map.
            for (OutboxEntry e : t.sent) {
                assertTrue(s.<String, String>map("outbox.pending").containsKey(e.commandId()));
            }
        }
    }

    @Test
    void disconnectedOutboxSendsNothingUntilAsked() throws Exception {
        FakeTransport t = new FakeTransport();
        t.connected = false;
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), Clock.systemUTC(), TestSecrets.box())) {
            o.submit(entry("c1"));
            assertTrue(o.flush(Duration.ofSeconds(5)));
            assertEquals(0, t.sent.size());
            t.connected = true;
            o.sendAllPending();
            await(() -> o.pendingCount() == 0);
        }
    }

    @Test
    void aLateAcknowledgementDoesNotMakeASecondCopyOnTheSameStream() throws Exception {
        FakeTransport t = new FakeTransport();
        t.autoAck = false;
        Duration retry = Duration.ofMillis(300);
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), Clock.systemUTC(),
                TestSecrets.box(), retry)) {
            o.submit(entry("late"));
            o.submit(entry("other"));
            await(() -> t.sent.size() == 2);
            // The cloud is busy but working: it acknowledges another result now and then, never 'late' yet.
            long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
            int n = 0;
            while (System.nanoTime() < end) {
                int sent = t.sent.size();
                o.submit(entry("busy-" + n));
                await(() -> t.sent.size() > sent);
                t.unanswered.get(t.unanswered.size() - 1).complete(null);
                n++;
                o.sendAllPending();
                Thread.sleep(100);
            }
            assertTrue(o.flush(Duration.ofSeconds(5)));
            assertEquals(1, t.sent.stream().filter(e -> e.commandId().equals("late")).count(),
                    "sent again although the cloud kept acknowledging");

            // A new stream: sent again at once.
            t.stream = 2;
            o.sendAllPending();
            await(() -> t.sent.stream().filter(e -> e.commandId().equals("late")).count() == 2);

            // The cloud goes silent on this stream (no acknowledgement at all): sent again after the retry time.
            Thread.sleep(retry.toMillis() + 100);
            o.sendAllPending();
            await(() -> t.sent.stream().filter(e -> e.commandId().equals("late")).count() == 3);
        }
    }

    @Test
    void oldAcknowledgedResultsArePruned() throws Exception {
        FakeTransport t = new FakeTransport();
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), clock, TestSecrets.box())) {
            o.submit(entry("c1"));
            await(() -> o.find("c1").map(e -> e.ackedAt() > 0).orElse(false));
            assertEquals(0, o.prune());
            now[0] = now[0].plus(Duration.ofDays(8));
            assertEquals(1, o.prune());
            assertTrue(o.find("c1").isEmpty());
        }
    }

    @Test
    void storedResultsAreSealedAtRestAndStillReadBack() throws Exception {
        FakeTransport t = new FakeTransport();
        t.autoAck = false;
        OutboxEntry secret = new OutboxEntry("c9", "scep", "challenge", "cloud.test", null,
                "{\"challenge\":\"One-Time-Ch4llenge\"}", 3, 1000, 0);
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), Clock.systemUTC(),
                TestSecrets.box())) {
            o.submit(secret);
            await(() -> t.sent.size() == 1);
        }
        String file = new String(java.nio.file.Files.readAllBytes(data.resolve("extender.mv.db")),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(file.contains("One-Time-Ch4llenge"), "a result is stored in clear");
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, new FakeTransport(), Duration.ofDays(7),
                Clock.systemUTC(), TestSecrets.box())) {
            assertEquals(secret.payload(), o.find("c9").orElseThrow().payload());
        }
    }

    @Test
    void entriesThatNoLongerOpenAreMovedAsideAndTheOthersStillGo() throws Exception {
        FakeTransport t = new FakeTransport();
        t.autoAck = false;
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t, Duration.ofDays(7), Clock.systemUTC(),
                TestSecrets.box())) {
            for (int i = 0; i < 5; i++) {
                o.submit(entry("lost" + i));
            }
            await(() -> t.sent.size() == 5);
        }
        // The machine key was lost: a new one is made, and the stored results no longer open.
        SecretBox newKey = new SecretBox(MachineKey.open(data.resolve("new-keys"), "test-machine"));
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Outbox.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        log.addAppender(appender);
        FakeTransport t2 = new FakeTransport();
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, t2, Duration.ofDays(7), Clock.systemUTC(),
                newKey)) {
            o.submit(entry("new1"));
            await(() -> t2.sent.size() == 1);
            o.sendAllPending();
            await(() -> o.quarantinedCount() == 5);
            o.submit(entry("new2"));
            await(() -> o.pendingCount() == 0);
            assertEquals(java.util.List.of("new1", "new2"), t2.sent.stream().map(OutboxEntry::commandId).toList());
            // A redelivered command whose result is lost finds none (and runs again) instead of failing.
            assertTrue(o.find("lost0").isEmpty());
            assertEquals(0, o.prune(), "pruning is not stopped by them either");
        } finally {
            log.detachAppender(appender);
        }
        synchronized (appender) {
            java.util.List<String> warnings = appender.list.stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertEquals(1, warnings.size(), "said once, not once per entry: " + warnings);
            assertTrue(warnings.get(0).contains("outbox.quarantine") && warnings.get(0).contains("data/keys"),
                    warnings.get(0));
        }
        // The old key is put back: the quarantined results open again and are taken back at start.
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, new FakeTransport(), Duration.ofDays(7),
                Clock.systemUTC(), TestSecrets.box())) {
            assertEquals(0, o.quarantinedCount());
            assertTrue(o.find("lost3").isPresent());
        }
    }

    @Test
    void anAcknowledgedEntryThatNoLongerOpensIsFoundAsNoneAndMovedAside() throws Exception {
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, new FakeTransport(), Duration.ofDays(7),
                Clock.systemUTC(), TestSecrets.box())) {
            o.submit(entry("c1"));
            await(() -> o.find("c1").map(e -> e.ackedAt() > 0).orElse(false));
        }
        SecretBox newKey = new SecretBox(MachineKey.open(data.resolve("new-keys"), "test-machine"));
        try (LocalStore s = LocalStore.open(data); Outbox o = new Outbox(s, new FakeTransport(), Duration.ofDays(7),
                Clock.systemUTC(), newKey)) {
            assertTrue(o.find("c1").isEmpty());
            await(() -> o.quarantinedCount() == 1);
            assertTrue(s.<String, String>map("outbox.remembered").isEmpty());
        }
    }
}
