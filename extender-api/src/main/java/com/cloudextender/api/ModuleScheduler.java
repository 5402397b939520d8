package com.cloudextender.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

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

    /**
     * Like {@link #everyAfter}, but a run starts only while this extender holds the customer-wide lease
     * {@code lease}, which the cloud grants to one of the customer's extenders at a time: singleton work
     * such as a directory or inventory sync runs on one extender, and moves to another when its holder
     * stops. The task gets the {@link Lease}; a long run checks {@link Lease#held()} at each page or chunk
     * boundary and stops when it turns false, leaving its baseline as it was, and it uploads with
     * {@link BulkUploads#upload(java.nio.file.Path, String, String, Lease)} so that the cloud can recognise
     * and drop a late upload of a former holder. Registering the task is what makes the extender ask for
     * the lease; cancelling the last task of a lease gives it back.
     *
     * <p>The default, for hosts and clouds without leases, runs the task as {@link #everyAfter} does, with
     * a lease that is always held and has generation 0.
     *
     * @param lease the lease's name, shared by every extender of the customer, for example
     *              {@code directory.sync}: letters, digits, {@code .}, {@code -} and {@code _}
     */
    default Cancellable everyAfterExclusive(String name, String lease, Duration initialDelay, Duration delay,
            Consumer<Lease> task) {
        Lease always = Lease.unfenced(lease);
        return everyAfter(name, initialDelay, delay, () -> task.accept(always));
    }

    /**
     * The customer-wide lease {@code lease} for work a command starts now, outside the schedule: singleton
     * work such as a sync requested by the cloud must run under the same lease as the scheduled runs, or two
     * extenders could upload the same objects at once and a late copy could overwrite a newer one.
     *
     * <p>Empty while an exclusive task of this module claims the lease and another extender holds it (or
     * the cloud has not granted it yet): the command should then fail with a message saying so. When no
     * exclusive task of this module claims the lease (nothing is scheduled), or the host or the cloud has no
     * leases, the default: a lease that is always held, with generation 0 (no fencing).
     */
    default Optional<Lease> leaseNow(String lease) {
        return Optional.of(Lease.unfenced(lease));
    }

    /**
     * A customer-wide lease as this extender sees it during one run of an exclusive task. Thread-safe:
     * the run may hand it to the threads it starts.
     */
    interface Lease {
        /** The lease's name. */
        String name();

        /**
         * The cloud's generation of this grant: it grows each time the lease moves to another extender or
         * is granted anew after it lapsed. 0 when the cloud does not grant leases (no fencing).
         */
        long generation();

        /**
         * Whether the lease is still held: false once a renewal was not confirmed in time, measured on this
         * machine's monotonic clock from when the renewal was sent, so clock skew cannot stretch it.
         */
        boolean held();

        /** A lease that is always held, with generation 0: for hosts and clouds without leases. */
        static Lease unfenced(String name) {
            return new Lease() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public long generation() {
                    return 0;
                }

                @Override
                public boolean held() {
                    return true;
                }
            };
        }
    }

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels future runs; a run in progress finishes. */
        void cancel();
    }
}
