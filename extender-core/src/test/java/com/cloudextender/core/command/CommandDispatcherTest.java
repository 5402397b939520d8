package com.cloudextender.core.command;

import com.cloudextender.core.outbox.TestSecrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.outbox.FakeTransport;
import com.cloudextender.core.outbox.Outbox;
import com.cloudextender.core.outbox.OutboxEntry;
import com.cloudextender.core.store.LocalStore;

class CommandDispatcherTest {
    @TempDir
    Path data;

    private LocalStore store;
    private FakeTransport transport;
    private Outbox outbox;
    private CommandDispatcher dispatcher;
    private CommandCounters counters;
    private final ActionRegistry registry = new ActionRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch watchdogFired = new CountDownLatch(1);
    private final CountDownLatch probeStarted = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        store = LocalStore.open(data);
        transport = new FakeTransport();
        outbox = new Outbox(store, transport, Duration.ofDays(1), Clock.systemUTC(), TestSecrets.box());
        registry.register(new CoreActions(Clock.systemUTC(), () -> Map.of("ok", true)).module("1.0"));
        registry.register(new ActionRegistry.ModuleActions("test", "1.0", Map.of(
                "explode", c -> {
                    throw new IllegalStateException("boom");
                },
                "block", c -> {
                    release.await();
                    return CommandResult.ok("{}");
                },
                "stubborn", c -> {
                    // Ignores interrupts: returns only once the watchdog has begun ending it.
                    while (true) {
                        try {
                            if (watchdogFired.await(10, TimeUnit.SECONDS)) {
                                return CommandResult.ok("{}");
                            }
                            throw new AssertionError("the watchdog never fired");
                        } catch (InterruptedException e) {
                            // keep waiting, as an action that ignores interrupts would
                        }
                    }
                },
                "probe", c -> {
                    probeStarted.countDown();
                    Thread.sleep(300);
                    return CommandResult.ok("{}");
                })));
        use(new ExtenderConfig.Commands(2, 2, Duration.ofSeconds(30), 1024, Duration.ofHours(1), 1 << 20),
                Clock.systemUTC());
    }

    /** Replaces the dispatcher with one under other limits or another clock. */
    private void use(ExtenderConfig.Commands limits, Clock clock) {
        if (dispatcher != null) {
            dispatcher.close();
        }
        counters = new CommandCounters();
        dispatcher = new CommandDispatcher(registry, outbox, limits, counters, clock);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        dispatcher.close();
        outbox.close();
        store.close();
    }

    private OutboxEntry resultOf(String id) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            var e = outbox.find(id);
            if (e.isPresent()) {
                return e.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no result for " + id);
    }

    private Admission admit(String id, String module, String action, String args) {
        return dispatcher.admit(id, module, action, null, args, "cloud.test");
    }

    @Test
    void pingEchoes() throws Exception {
        assertEquals(new Admission.Accepted("queued"), admit("c1", "core", "ping", "{\"echo\":\"hi\"}"));
        OutboxEntry r = resultOf("c1");
        assertNull(r.errorCode());
        assertTrue(r.payload().contains("\"echo\":\"hi\""), r.payload());
        assertEquals("cloud.test", r.replyTo());
    }

    @Test
    void unknownModuleAndActionAreTypedErrors() throws Exception {
        admit("c1", "nope", "x", "{}");
        admit("c2", "core", "nope", "{}");
        OutboxEntry m = resultOf("c1");
        assertEquals("UNKNOWN_MODULE", m.errorCode());
        assertTrue(m.payload().contains("installed: core, test"), m.payload());
        OutboxEntry a = resultOf("c2");
        assertEquals("UNKNOWN_ACTION", a.errorCode());
        assertTrue(a.payload().contains("ping, sleep, status"), a.payload());
    }

    @Test
    void argumentsMustBeAJsonObject() throws Exception {
        admit("c1", "core", "ping", "not json");
        admit("c2", "core", "ping", "[1,2]");
        admit("c3", "core", "ping", "");
        assertEquals("INVALID_ARGUMENTS", resultOf("c1").errorCode());
        assertEquals("INVALID_ARGUMENTS", resultOf("c2").errorCode());
        assertNull(resultOf("c3").errorCode(), "empty arguments mean {}");
    }

    @Test
    void moduleExceptionBecomesModuleFailure() throws Exception {
        admit("c1", "test", "explode", "{}");
        OutboxEntry r = resultOf("c1");
        assertEquals("MODULE_FAILURE", r.errorCode());
        assertTrue(r.payload().contains("boom"));
    }

    @Test
    void malformedAndOversizedAreRefused() {
        assertEquals(ErrorCode.MALFORMED, ((Admission.Refused) admit(null, "core", "ping", "{}")).code());
        assertEquals(ErrorCode.MALFORMED, ((Admission.Refused) admit("c1", "", "ping", "{}")).code());
        assertEquals(ErrorCode.MALFORMED, ((Admission.Refused) admit("c1", "core", null, "{}")).code());
        assertEquals(ErrorCode.MALFORMED,
                ((Admission.Refused) dispatcher.admit("c1", "core", "ping", -1L, "{}", "x")).code());
        String big = "{\"x\":\"" + "é".repeat(600) + "\"}"; // 1,200+ bytes in UTF-8, 600 chars
        Admission.Refused r = (Admission.Refused) admit("c2", "core", "ping", big);
        assertEquals(ErrorCode.TOO_LARGE, r.code());
        assertTrue(r.reason().contains("commands.maxArgumentBytes"));
    }

    @Test
    void timeLimitEndsTheCommandWithTimeout() throws Exception {
        dispatcher.admit("c1", "core", "sleep", 100L, "{\"millis\":60000}", "cloud.test");
        OutboxEntry r = resultOf("c1");
        assertEquals("TIMEOUT", r.errorCode());
        assertTrue(r.elapsedMillis() < 5000, "cancelled near its limit, not after the sleep");
        // The worker was freed: another command runs.
        admit("c2", "core", "ping", "{}");
        assertNull(resultOf("c2").errorCode());
    }

    @Test
    void fullQueueRefusesWithBusy() {
        // 2 workers blocked, 2 queued: the fifth is refused.
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(Admission.Accepted.class, admit("b" + i, "test", "block", "{}"));
        }
        Admission a = admit("b4", "test", "block", "{}");
        assertEquals(ErrorCode.BUSY, ((Admission.Refused) a).code());
    }

    @Test
    void redeliveredCommandRunsOnce() throws Exception {
        assertEquals(new Admission.Accepted("queued"), admit("b1", "test", "block", "{}"));
        assertEquals(new Admission.Accepted("running"), admit("b1", "test", "block", "{}"));
        release.countDown();
        resultOf("b1");
        // Redelivered after the first result was delivered and acknowledged (the cloud lost track of it).
        long acked = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (outbox.find("b1").map(e -> e.ackedAt() == 0).orElse(true)) {
            assertTrue(System.nanoTime() < acked, "first result not acknowledged");
            Thread.sleep(5);
        }
        assertEquals(1, transport.sent.stream().filter(e -> e.commandId().equals("b1")).count());
        assertEquals(new Admission.Accepted("done"), admit("b1", "test", "block", "{}"));
        // The stored result was sent again rather than the command run again.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (transport.sent.stream().filter(e -> e.commandId().equals("b1")).count() < 2) {
            assertTrue(System.nanoTime() < end, "stored result not resent");
            Thread.sleep(5);
        }
    }

    private void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(5);
        }
    }

    private static String argumentsOf(int bytes) {
        String prefix = "{\"x\":\"";
        return prefix + "a".repeat(bytes - prefix.length() - 2) + "\"}";
    }

    @Test
    void queuedArgumentBytesAreBoundedAndFreedWhenCommandsFinish() throws Exception {
        // Plenty of queue slots, but room for only three arguments of 100,000 bytes.
        use(new ExtenderConfig.Commands(2, 100, Duration.ofSeconds(30), 200_000, Duration.ofHours(1), 350_000),
                Clock.systemUTC());
        String big = argumentsOf(100_000);
        for (int i = 0; i < 3; i++) {
            assertEquals(new Admission.Accepted("queued"), admit("big" + i, "test", "block", big));
        }
        assertEquals(300_000, dispatcher.queuedArgumentBytes());
        Admission.Refused refused = assertInstanceOf(Admission.Refused.class, admit("big3", "test", "block", big));
        assertEquals(ErrorCode.BUSY, refused.code());
        assertTrue(refused.reason().contains("commands.queueBytes"), refused.reason());
        // Small commands still fit beside them.
        assertInstanceOf(Admission.Accepted.class, admit("small", "test", "block", "{}"));
        release.countDown();
        for (int i = 0; i < 3; i++) {
            assertNull(resultOf("big" + i).errorCode());
        }
        awaitTrue("argument bytes released", () -> dispatcher.queuedArgumentBytes() == 0);
        assertEquals(new Admission.Accepted("queued"), admit("big3", "test", "block", big), "accepted again");
        assertNull(resultOf("big3").errorCode());
    }

    @Test
    void argumentBytesAreFreedOnErrorTimeoutAndRefusal() throws Exception {
        use(new ExtenderConfig.Commands(1, 1, Duration.ofSeconds(30), 10_000, Duration.ofHours(1), 100_000),
                Clock.systemUTC());
        String args = argumentsOf(5_000);
        admit("e1", "test", "explode", args);
        assertEquals("MODULE_FAILURE", resultOf("e1").errorCode());
        admit("e2", "core", "ping", "[\"" + "b".repeat(4_990) + "\"]");
        assertEquals("INVALID_ARGUMENTS", resultOf("e2").errorCode());
        dispatcher.admit("e3", "core", "sleep", 50L, "{\"millis\":60000,\"pad\":\"" + "c".repeat(4_900) + "\"}",
                "cloud.test");
        assertEquals("TIMEOUT", resultOf("e3").errorCode());
        awaitTrue("bytes of the error and the timeout released", () -> dispatcher.queuedArgumentBytes() == 0);
        // One running, one waiting: the third is refused because the queue is full, and its bytes are not kept.
        assertInstanceOf(Admission.Accepted.class, admit("r1", "test", "block", args));
        awaitTrue("r1 running", () -> counters.running() == 1);
        assertInstanceOf(Admission.Accepted.class, admit("r2", "test", "block", args));
        assertEquals(ErrorCode.BUSY, ((Admission.Refused) admit("r3", "test", "block", args)).code());
        assertEquals(10_000, dispatcher.queuedArgumentBytes());
        release.countDown();
        resultOf("r2");
        awaitTrue("all released", () -> dispatcher.queuedArgumentBytes() == 0);
    }

    @Test
    void timeLimitBeyondAnyDurationIsCutToTheMaximumAndTheCommandStillEnds() throws Exception {
        use(new ExtenderConfig.Commands(1, 10, Duration.ofMillis(100), 1024, Duration.ofMillis(200), 1 << 20),
                Clock.systemUTC());
        // Long.MAX_VALUE ms overflows a limit in nanoseconds; the command must still get its result.
        assertEquals(new Admission.Accepted("queued"),
                dispatcher.admit("huge", "core", "ping", Long.MAX_VALUE, "{}", "cloud.test"));
        assertNull(resultOf("huge").errorCode());
        // Just above Long.MAX_VALUE nanoseconds in milliseconds (about 9.2e12): the reported case.
        assertEquals(new Admission.Accepted("queued"),
                dispatcher.admit("9.3e12", "core", "ping", 9_300_000_000_000L, "{}", "cloud.test"));
        assertNull(resultOf("9.3e12").errorCode());
        // Cut to commands.maxTimeout (200 ms), not left to run for a minute.
        dispatcher.admit("long", "core", "sleep", 3_600_000L, "{\"millis\":60000}", "cloud.test");
        OutboxEntry r = resultOf("long");
        assertEquals("TIMEOUT", r.errorCode());
        assertTrue(r.payload().contains("within 200 ms"), r.payload());
        awaitTrue("nothing left running", () -> counters.running() == 0);
        assertEquals(new Admission.Accepted("queued"), admit("after", "core", "ping", "{}"));
        assertNull(resultOf("after").errorCode());
    }

    @Test
    void theWatchdogInterruptsOnlyTheRunItOwns() throws Exception {
        // The watchdog's clock reading for the timed-out command is held until the worker has moved on to
        // the next command: an interrupt sent after that must not reach the next command.
        Clock holdingClock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                if (Thread.currentThread().getName().startsWith("command-watchdog") && watchdogFired.getCount() > 0) {
                    watchdogFired.countDown();
                    try {
                        probeStarted.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Instant.now();
            }
        };
        use(new ExtenderConfig.Commands(1, 10, Duration.ofSeconds(30), 1024, Duration.ofHours(1), 1 << 20),
                holdingClock);
        dispatcher.admit("slow", "test", "stubborn", 50L, "{}", "cloud.test");
        admit("next", "test", "probe", "{}");
        assertEquals("TIMEOUT", resultOf("slow").errorCode());
        OutboxEntry next = resultOf("next");
        assertNull(next.errorCode(), "the next command was interrupted by the previous one's time limit: "
                + next.payload());
    }

    @Test
    void commandIdsInRefusalsAreEscapedAndCut() {
        String forged = "c1\n12:00:00.000 WARN  forged line";
        Admission.Refused r = (Admission.Refused) admit(forged, "", "ping", "{}");
        assertFalse(r.reason().contains("\n"), r.reason());
        assertTrue(r.reason().contains("c1\\n12:00"), r.reason());
    }
}
