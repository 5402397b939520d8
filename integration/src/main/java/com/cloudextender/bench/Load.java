package com.cloudextender.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Load generators and percentiles shared by the benchmarks. */
final class Load {
    private Load() {
    }

    /** Latencies (sorted, nanoseconds) and failures of an open-loop run. */
    record Run(long[] latencies, int failed, List<String> firstFailures) {
        double pct(int p) {
            return Load.pct(latencies, p);
        }
    }

    /** Keeps {@code window} requests in flight until {@code n} completed; returns completions per second. */
    static double closedLoop(int n, int window, Supplier<CompletableFuture<?>> op) throws Exception {
        Semaphore slots = new Semaphore(window);
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            slots.acquire();
            CompletableFuture<?> f = op.get();
            f.whenComplete((r, e) -> slots.release());
            all.add(f);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** Sends at a fixed rate (open loop) and returns each request's latency in nanoseconds. */
    @SuppressWarnings("unchecked")
    static long[] steady(int rate, int seconds, Supplier<CompletableFuture<?>> op) throws Exception {
        Supplier<CompletableFuture<Object>> any = () -> (CompletableFuture<Object>) op.get();
        return steady(rate, seconds, any, r -> true).latencies();
    }

    /** Sends at a fixed rate (open loop); {@code ok} decides which answers count as failures. */
    static <T> Run steady(int rate, int seconds, Supplier<CompletableFuture<T>> op, Predicate<T> ok) throws Exception {
        ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<T>> all = new ArrayList<>();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        int n = rate * seconds;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                if (wait > 200_000) {
                    Thread.sleep(0, 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            long t0 = System.nanoTime();
            all.add(op.get().whenComplete((r, e) -> {
                lat.add(System.nanoTime() - t0);
                if (e != null || !ok.test(r)) {
                    if (failed.incrementAndGet() <= 5) {
                        failures.add(e != null ? e.toString() : String.valueOf(r));
                    }
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(2, TimeUnit.MINUTES);
        long[] a = lat.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return new Run(a, failed.get(), List.copyOf(failures));
    }

    /** The {@code p}th percentile of sorted nanoseconds, in milliseconds. */
    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
