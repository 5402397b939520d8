package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.core.lease.LeaseKeeper;
import com.cloudextender.core.protocol.LeaseIq;

/** Exclusive tasks: they run only while the extender holds their lease, and at once when it gains it. */
class ExclusiveTasksTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService runner = Executors.newFixedThreadPool(2);
    private volatile String state = LeaseIq.TAKEN;
    private final List<LeaseIq> requests = new CopyOnWriteArrayList<>();
    private final LeaseKeeper keeper = new LeaseKeeper(r -> {
        requests.add(r);
        return CompletableFuture.completedFuture(LeaseIq.answer(r, r.name(), state, 1, 900, "ext-2", 100));
    }, Duration.ofMillis(900));

    @AfterEach
    void stop() {
        keeper.close();
        timer.shutdownNow();
        runner.shutdownNow();
    }

    @Test
    void aTaskRunsOnlyUnderItsLeaseAndAtOnceWhenTheLeaseIsGained() throws Exception {
        ModuleTasks tasks = new ModuleTasks("directory", getClass().getClassLoader(), timer, runner, keeper);
        List<Long> runs = new CopyOnWriteArrayList<>();
        tasks.everyAfterExclusive("directory sync", "directory.sync", Duration.ofMillis(50), Duration.ofHours(1),
                lease -> runs.add(lease.generation()));
        Thread.sleep(500);
        assertTrue(runs.isEmpty(), "another extender holds the lease: no run");

        state = LeaseIq.HELD; // the holder stopped: this extender gets the lease at its next request
        await(() -> runs.size() == 1);
        assertEquals(List.of(1L), runs, "ran at once, not an hour later, under generation 1");

        tasks.cancelAll();
        await(() -> requests.stream().anyMatch(r -> LeaseIq.RELEASE.equals(r.op())));
        assertTrue(keeper.status().isEmpty(), "no task wants the lease any more");
    }

    @Test
    void workACommandStartsGetsTheLeaseOnlyWhileThisExtenderHoldsIt() throws Exception {
        ModuleTasks tasks = new ModuleTasks("directory", getClass().getClassLoader(), timer, runner, keeper);
        assertEquals(0, tasks.leaseNow("directory.sync").orElseThrow().generation(),
                "no task claims the lease: nothing to coordinate, unfenced");
        List<Long> runs = new CopyOnWriteArrayList<>();
        tasks.everyAfterExclusive("directory sync", "directory.sync", Duration.ofMillis(50), Duration.ofHours(1),
                lease -> runs.add(lease.generation()));
        await(() -> !requests.isEmpty());
        Thread.sleep(100);
        assertTrue(tasks.leaseNow("directory.sync").isEmpty(), "another extender holds it");
        assertEquals(0, tasks.leaseNow("bes.devices").orElseThrow().generation(), "a lease no task claims");

        state = LeaseIq.HELD;
        await(() -> runs.size() == 1);
        ModuleScheduler.Lease now = tasks.leaseNow("directory.sync").orElseThrow();
        assertEquals(1, now.generation());
        assertTrue(now.held());
        tasks.cancelAll();
        assertEquals(0, tasks.leaseNow("directory.sync").orElseThrow().generation(), "the claim went with the task");
    }

    @Test
    void withoutAKeeperAnExclusiveTaskRunsUnfenced() throws Exception {
        ModuleTasks tasks = new ModuleTasks("directory", getClass().getClassLoader(), timer, runner);
        List<ModuleScheduler.Lease> runs = new CopyOnWriteArrayList<>();
        tasks.everyAfterExclusive("directory sync", "directory.sync", Duration.ZERO, Duration.ofHours(1), runs::add);
        await(() -> runs.size() == 1);
        assertEquals(0, runs.get(0).generation());
        assertTrue(runs.get(0).held());
        tasks.cancelAll();
    }

    private static void await(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
