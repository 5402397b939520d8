package com.cloudextender.core.module;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.core.lease.LeaseKeeper;

/**
 * The scheduler one module version sees. A shared timer only triggers; the work runs on a shared pool
 * of task threads, so a long sync never delays another module's timer. Every task of this version is
 * cancelled by {@link #cancelAll()} when it stops. Exclusive tasks run only while the {@link LeaseKeeper}
 * holds their lease, and run at once when it is gained (after their initial delay), so that a new holder
 * picks the work up without waiting a whole period.
 */
final class ModuleTasks implements ModuleScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleTasks.class);
    /** How long work a command starts waits for the cloud's first answer about a lease just claimed. */
    private static final long FIRST_ANSWER_WAIT_MILLIS = 5_000;

    private final String module;
    private final ClassLoader loader;
    private final ScheduledExecutorService timer;
    private final ExecutorService runner;
    private final LeaseKeeper leases;
    private final Set<Task> tasks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ModuleTasks(String module, ClassLoader loader, ScheduledExecutorService timer, ExecutorService runner) {
        this(module, loader, timer, runner, null);
    }

    /** @param leases the extender's lease keeper; null runs exclusive tasks unfenced, as everyAfter does */
    ModuleTasks(String module, ClassLoader loader, ScheduledExecutorService timer, ExecutorService runner,
            LeaseKeeper leases) {
        this.leases = leases;
        this.module = module;
        this.loader = loader;
        this.timer = timer;
        this.runner = runner;
    }

    @Override
    public Cancellable everyAfter(String name, Duration initialDelay, Duration delay, Runnable task) {
        if (delay.isZero() || delay.isNegative()) {
            throw new IllegalArgumentException("the delay of task '" + name + "' must be positive");
        }
        return submit(new Task(name, delay, task), initialDelay);
    }

    @Override
    public Cancellable everyAfterExclusive(String name, String lease, Duration initialDelay, Duration delay,
            Consumer<Lease> task) {
        if (leases == null) {
            return ModuleScheduler.super.everyAfterExclusive(name, lease, initialDelay, delay, task);
        }
        if (delay.isZero() || delay.isNegative()) {
            throw new IllegalArgumentException("the delay of task '" + name + "' must be positive");
        }
        if (closed) {
            throw new IllegalStateException("module " + module + " has stopped; it cannot schedule '" + name + "'");
        }
        long firstDue = System.nanoTime() + initialDelay.toNanos();
        Task[] self = new Task[1];
        LeaseKeeper.Claim claim = leases.claim(lease, () -> {
            if (self[0] != null && System.nanoTime() - firstDue >= 0) {
                self[0].runSoon();
            }
        });
        Task t = new Task(name, delay, () -> {
            Lease current = claim.current();
            if (current == null) {
                LOG.debug("Task '{}' of module {} skipped: another extender holds lease {}", name, module, lease);
                return;
            }
            task.accept(current);
        });
        t.onCancel = claim::close;
        t.lease = lease;
        t.claim = claim;
        self[0] = t;
        return submit(t, initialDelay);
    }

    /** The lease as an exclusive task of this module claims it; without one, the default (unfenced). */
    @Override
    public Optional<Lease> leaseNow(String lease) {
        for (Task t : tasks) {
            LeaseKeeper.Claim c = t.claim;
            if (c != null && lease.equals(t.lease) && !t.cancelled) {
                try {
                    return Optional.ofNullable(c.current(FIRST_ANSWER_WAIT_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return ModuleScheduler.super.leaseNow(lease);
    }

    @Override
    public Cancellable once(String name, Duration delay, Runnable task) {
        return submit(new Task(name, null, task), delay);
    }

    private Task submit(Task t, Duration delay) {
        if (closed) {
            throw new IllegalStateException("module " + module + " has stopped; it cannot schedule '" + t.name + "'");
        }
        tasks.add(t);
        t.arm(delay);
        return t;
    }

    /** Cancels every task; runs in progress finish on their own. */
    void cancelAll() {
        closed = true;
        tasks.forEach(Task::cancel);
        tasks.clear();
    }

    int count() {
        return tasks.size();
    }

    private final class Task implements Cancellable {
        private final String name;
        private final Duration repeat;
        private final Runnable work;
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> next;
        private volatile Runnable onCancel;
        /** For an exclusive task: its lease and this task's claim of it. */
        private volatile String lease;
        private volatile LeaseKeeper.Claim claim;
        private volatile boolean running;
        private volatile boolean rerun;

        Task(String name, Duration repeat, Runnable work) {
            this.name = name;
            this.repeat = repeat;
            this.work = work;
        }

        void arm(Duration delay) {
            if (cancelled || closed) {
                return;
            }
            try {
                next = timer.schedule(() -> {
                    try {
                        runner.execute(this::runOnce);
                    } catch (RejectedExecutionException e) {
                        // the host is shutting down
                    }
                }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the host is shutting down
            }
        }

        /** Runs the task as soon as possible (now, or right after the run in progress). */
        void runSoon() {
            if (cancelled || closed) {
                return;
            }
            if (running) {
                rerun = true;
                return;
            }
            ScheduledFuture<?> f = next;
            if (f != null && !f.cancel(false)) {
                return; // already triggered
            }
            arm(Duration.ZERO);
        }

        private void runOnce() {
            if (cancelled) {
                return;
            }
            running = true;
            rerun = false;
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                work.run();
            } catch (Throwable e) {
                LOG.warn("Task '{}' of module {} failed: {}; it runs again at its next time", name, module, e.toString());
            } finally {
                thread.setContextClassLoader(previous);
                running = false;
            }
            if (repeat != null) {
                arm(rerun ? Duration.ZERO : repeat);
            } else {
                tasks.remove(this);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
            tasks.remove(this);
            Runnable c = onCancel;
            if (c != null) {
                c.run();
            }
        }
    }
}
