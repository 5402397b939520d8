package com.cloudextender.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A closed loop for a fixed time: keeps {@code window} requests in flight (a new one starts as soon as one
 * ends) and records each request's latency, so throughput and percentiles come from the same run.
 */
final class TimedLoop {
    private TimedLoop() {
    }

    /** Completions per second, and the latencies (sorted nanoseconds) and failures of the run. */
    record Result(double perSecond, Load.Run run) {
    }

    static <T> Result run(int window, double seconds, Supplier<CompletableFuture<T>> op, Predicate<T> ok)
            throws Exception {
        Semaphore slots = new Semaphore(window);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            slots.acquire();
            long t0 = System.nanoTime();
            op.get().whenComplete((r, e) -> {
                latencies.add(System.nanoTime() - t0);
                if ((e != null || !ok.test(r)) && failed.incrementAndGet() <= 5) {
                    failures.add(e != null ? e.toString() : String.valueOf(r));
                }
                slots.release();
            });
        }
        // Wait for the requests still in flight: they count, and the elapsed time includes them.
        if (!slots.tryAcquire(window, 5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("requests still in flight 5 minutes after the loop ended");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Result(sorted.length / elapsed, new Load.Run(sorted, failed.get(), List.copyOf(failures)));
    }
}
