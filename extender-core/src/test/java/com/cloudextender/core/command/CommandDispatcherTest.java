package com.cloudextender.core.command;

import com.cloudextender.core.outbox.TestSecrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    private final ActionRegistry registry = new ActionRegistry();
    private final CountDownLatch release = new CountDownLatch(1);

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
                })));
        dispatcher = new CommandDispatcher(registry, outbox,
                new ExtenderConfig.Commands(2, 2, Duration.ofSeconds(30), 1024), new CommandCounters(),
                Clock.systemUTC());
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
}
