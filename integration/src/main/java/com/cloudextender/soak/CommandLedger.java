package com.cloudextender.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.cloudextender.devcloud.CommandOutcome;

/**
 * Every command the soak sends, with the time it was sent and, once it came, its outcome and the time it
 * came. Thread-safe: the load, the syncs and the reporting use it at once.
 */
final class CommandLedger {
    private record Entry(int number, String kind, long sentNanos, CompletableFuture<CommandRecord> done) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final AtomicInteger numbers = new AtomicInteger();

    /** Sends a command through {@code send} and records it; returns its outcome, which never fails. */
    CompletableFuture<CommandRecord> track(String kind, Supplier<CompletableFuture<CommandOutcome>> send) {
        int number = numbers.incrementAndGet();
        long sent = System.nanoTime();
        CompletableFuture<CommandRecord> done = send.get().handle((outcome, failure) ->
                // The dev cloud's future fails only for an unknown extender: no outcome, as if it never came.
                new CommandRecord(number, kind, sent, failure == null ? System.nanoTime() : -1,
                        failure == null ? outcome : null));
        synchronized (entries) {
            entries.add(new Entry(number, kind, sent, done));
        }
        return done;
    }

    int sent() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Waits up to {@code limit} for every outcome still to come. */
    void awaitAll(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (Entry e : snapshot()) {
            try {
                e.done().get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
                return; // the rest is reported as commands without an outcome
            }
        }
    }

    /** Every command so far, in the order sent; one still without an outcome has none in its record. */
    List<CommandRecord> records() {
        List<CommandRecord> out = new ArrayList<>();
        for (Entry e : snapshot()) {
            CommandRecord r = e.done().getNow(null);
            out.add(r != null ? r : new CommandRecord(e.number(), e.kind(), e.sentNanos(), -1, null));
        }
        return out;
    }

    private List<Entry> snapshot() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }
}
