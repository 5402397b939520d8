package com.cloudextender.core.command;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of one command on a worker thread. It decides who writes the result (the worker when the
 * action returns, or the watchdog at the time limit: whoever claims first), and it ties the watchdog's
 * interrupt to this run: once the worker has left the run, an interrupt meant for it can no longer reach
 * the thread, which may already run the next command.
 */
final class CommandRun {
    private final Thread worker;
    private final AtomicBoolean resultClaimed = new AtomicBoolean();
    private boolean inside = true; // guarded by this

    /** Begins a run on the calling thread. */
    CommandRun() {
        this.worker = Thread.currentThread();
    }

    /** True for the first caller only: that one writes the command's result. */
    boolean claimResult() {
        return resultClaimed.compareAndSet(false, true);
    }

    /** Interrupts the worker if it is still inside this run; does nothing once it has left. */
    synchronized void interrupt() {
        if (inside) {
            worker.interrupt();
        }
    }

    /**
     * Ends the run; called by the worker itself. Clears an interrupt that arrived for this run, under the
     * same lock as {@link #interrupt()}, so none can arrive after it.
     */
    synchronized void leave() {
        if (Thread.currentThread() != worker) {
            throw new IllegalStateException("a run is left by its own worker");
        }
        inside = false;
        Thread.interrupted();
    }
}
