package com.cloudextender.core.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Command counts for status, health and metrics. Thread-safe. */
public final class CommandCounters {
    private final LongAdder received = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final AtomicLong running = new AtomicLong();
    private final LongAdder totalMillis = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    void received() {
        received.increment();
    }

    void refused() {
        refused.increment();
    }

    void started() {
        running.incrementAndGet();
    }

    void finished(boolean ok, boolean timeout, long millis) {
        running.decrementAndGet();
        (ok ? succeeded : failed).increment();
        if (timeout) {
            timedOut.increment();
        }
        totalMillis.add(millis);
        latency.record(millis);
    }

    public long running() {
        return running.get();
    }

    /** Durations of finished commands (succeeded, failed or timed out), for percentiles and metrics. */
    public LatencyHistogram.Snapshot latency() {
        return latency.snapshot();
    }

    /** A snapshot, in a stable key order, for JSON reports. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("received", received.sum());
        m.put("succeeded", succeeded.sum());
        m.put("failed", failed.sum());
        m.put("refused", refused.sum());
        m.put("timedOut", timedOut.sum());
        m.put("running", running.get());
        long done = succeeded.sum() + failed.sum();
        m.put("averageMillis", done == 0 ? 0 : totalMillis.sum() / done);
        LatencyHistogram.Snapshot l = latency.snapshot();
        m.put("p50Millis", l.quantileMillis(0.5));
        m.put("p99Millis", l.quantileMillis(0.99));
        m.put("maxMillis", l.maxMillis());
        return m;
    }
}
