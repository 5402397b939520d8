package com.cloudextender.api;

import java.time.Duration;

/**
 * Periodic and delayed work for a module, on the host's scheduler threads. Every task is cancelled by
 * the host when the module version stops, so a module never leaves a thread behind. A task that
 * throws is logged and runs again at its next time. Thread-safe.
 */
public interface ModuleScheduler {
    /**
     * Runs {@code task} after {@code initialDelay}, then again {@code delay} after each run ends (runs
     * of one task never overlap).
     *
     * @param name names the task in logs, for example {@code directory sync}
     */
    Cancellable everyAfter(String name, Duration initialDelay, Duration delay, Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    Cancellable once(String name, Duration delay, Runnable task);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels future runs; a run in progress finishes. */
        void cancel();
    }
}
