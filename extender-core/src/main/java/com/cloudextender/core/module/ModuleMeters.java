package com.cloudextender.core.module;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import com.cloudextender.api.ModuleMetrics;

/** A module's counters and timings, kept across its versions and shown in status and health reports. */
final class ModuleMeters implements ModuleMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, Timing> timings = new ConcurrentHashMap<>();

    private record Timing(LongAdder count, LongAdder totalMicros, LongAccumulator maxMicros) {
        Timing() {
            this(new LongAdder(), new LongAdder(), new LongAccumulator(Math::max, 0));
        }
    }

    @Override
    public void count(String name, long delta) {
        counters.computeIfAbsent(name, n -> new LongAdder()).add(delta);
    }

    @Override
    public void time(String name, Duration elapsed) {
        Timing t = timings.computeIfAbsent(name, n -> new Timing());
        long micros = elapsed.toNanos() / 1000;
        t.count().increment();
        t.totalMicros().add(micros);
        t.maxMicros().accumulate(micros);
    }

    /** Counters by name, and for each timing its count, mean and maximum in milliseconds. */
    Map<String, Object> snapshot() {
        Map<String, Object> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        timings.forEach((k, t) -> {
            long n = t.count().sum();
            m.put(k, Map.of("count", n, "meanMs", n == 0 ? 0.0 : t.totalMicros().sum() / 1000.0 / n,
                    "maxMs", t.maxMicros().get() / 1000.0));
        });
        return m;
    }
}
