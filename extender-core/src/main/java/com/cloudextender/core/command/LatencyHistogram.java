package com.cloudextender.core.command;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Command durations in fixed buckets, cheap enough for every command and exposable as a Prometheus
 * histogram. Quantiles are estimated within a bucket, which is precise enough to tell 50 ms from 5 s.
 * Thread-safe.
 */
public final class LatencyHistogram {
    /** Upper bounds of the buckets in milliseconds; one more bucket counts everything above the last. */
    static final long[] BOUNDS_MILLIS =
            {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000};

    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MILLIS.length + 1);
    private final LongAdder sumMillis = new LongAdder();
    private final LongAccumulator maxMillis = new LongAccumulator(Math::max, 0);

    /** Records one duration. */
    public void record(long millis) {
        long m = Math.max(0, millis);
        int i = Arrays.binarySearch(BOUNDS_MILLIS, m);
        buckets.incrementAndGet(i >= 0 ? i : -i - 1);
        sumMillis.add(m);
        maxMillis.accumulate(m);
    }

    /** A consistent-enough copy for reports (buckets read one by one while commands go on). */
    public Snapshot snapshot() {
        long[] counts = new long[buckets.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets.get(i);
        }
        return new Snapshot(BOUNDS_MILLIS.clone(), counts, sumMillis.sum(), maxMillis.get());
    }

    /**
     * Durations at one moment.
     *
     * @param boundsMillis upper bound of each bucket but the last, which is unbounded
     * @param counts       commands per bucket (not cumulative), one more than {@code boundsMillis}
     * @param sumMillis    total of all durations
     * @param maxMillis    longest duration seen
     */
    public record Snapshot(long[] boundsMillis, long[] counts, long sumMillis, long maxMillis) {
        /** How many durations were recorded. */
        public long count() {
            return Arrays.stream(counts).sum();
        }

        /**
         * Estimates the {@code q} quantile (0 &lt; q &le; 1) by linear interpolation inside its bucket,
         * capped at the maximum seen; 0 when nothing was recorded.
         */
        public long quantileMillis(double q) {
            if (q <= 0 || q > 1) {
                throw new IllegalArgumentException("quantile " + q + " is outside (0, 1]");
            }
            long total = count();
            if (total == 0) {
                return 0;
            }
            double rank = q * total;
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0 && seen + counts[i] >= rank) {
                    long low = i == 0 ? 0 : boundsMillis[i - 1];
                    long high = i < boundsMillis.length ? boundsMillis[i] : maxMillis;
                    double within = (rank - seen) / counts[i];
                    return Math.min(maxMillis, Math.round(low + within * (high - low)));
                }
                seen += counts[i];
            }
            return maxMillis;
        }
    }
}
