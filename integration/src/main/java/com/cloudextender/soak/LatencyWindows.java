package com.cloudextender.soak;

import java.util.Arrays;
import java.util.List;

/**
 * Command latency per sample window: the window of sample i holds the commands sent after sample i-1 and
 * up to sample i, so the first sample has none.
 */
final class LatencyWindows {
    private LatencyWindows() {
    }

    /** The p99 latency in milliseconds of each window, NaN for a window without commands. */
    static double[] p99(List<CommandRecord> commands, long[] sampleNanos) {
        double[] out = new double[sampleNanos.length];
        Arrays.fill(out, Double.NaN);
        for (int i = 1; i < sampleNanos.length; i++) {
            long from = sampleNanos[i - 1];
            long to = sampleNanos[i];
            double[] lat = commands.stream().filter(c -> c.answered() && c.sentNanos() > from && c.sentNanos() <= to)
                    .mapToDouble(CommandRecord::latencyMillis).toArray();
            out[i] = percentile(lat, 99);
        }
        return out;
    }

    /** The nearest-rank percentile (100 is the maximum); NaN for no values. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }
}
