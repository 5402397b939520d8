package com.cloudextender.soak;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether a series is flat: the first third of the run is warm-up (pools fill, classes load, the JIT
 * works) and is skipped; the series is flat when the median of the last third is within a tolerance of the
 * median of the second third. A rise beyond it is what a leak looks like and fails the goal; a fall beyond
 * it is reported, not failed.
 */
final class Trend {
    /** The allowed change: the larger of a share of the second third's median and an absolute amount. */
    record Tolerance(double relative, double absolute) {
        double of(double base) {
            return Math.max(relative * Math.abs(base), absolute);
        }

        String describe(String unit) {
            String abs = String.format(Locale.ROOT, "%s %s", plain(absolute), unit);
            return relative > 0 ? String.format(Locale.ROOT, "%.0f %% or %s", relative * 100, abs) : abs;
        }
    }

    /** Which way the series went. */
    enum Direction {
        FLAT, RISING, FALLING,
        /** Fewer than six samples: too short to tell. */
        TOO_SHORT
    }

    /**
     * The judgement of one series.
     *
     * @param start the first value, {@code end} the last (samples without a value are skipped)
     * @param tolerance the allowed change in the series' unit
     */
    record Verdict(double start, double end, double middleMedian, double lastMedian, double tolerance,
            Direction direction) {
        String describe() {
            if (direction == Direction.TOO_SHORT) {
                return "too short to judge";
            }
            return String.format(Locale.ROOT, "%s: median %s in the second third, %s in the last, allowed ±%s",
                    direction.name().toLowerCase(Locale.ROOT), plain(middleMedian), plain(lastMedian), plain(tolerance));
        }
    }

    /** Samples needed to judge: two per third. */
    static final int MIN_SAMPLES = 6;

    private Trend() {
    }

    static Verdict judge(double[] series, Tolerance tolerance) {
        double[] v = Arrays.stream(series).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return new Verdict(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Direction.TOO_SHORT);
        }
        double start = v[0];
        double end = v[v.length - 1];
        if (v.length < MIN_SAMPLES) {
            return new Verdict(start, end, Double.NaN, Double.NaN, Double.NaN, Direction.TOO_SHORT);
        }
        // Equal second and last thirds; what does not divide evenly goes to the skipped warm-up.
        int third = v.length / 3;
        double middle = median(Arrays.copyOfRange(v, v.length - 2 * third, v.length - third));
        double last = median(Arrays.copyOfRange(v, v.length - third, v.length));
        double allowed = tolerance.of(middle);
        Direction d = last - middle > allowed ? Direction.RISING : middle - last > allowed ? Direction.FALLING
                : Direction.FLAT;
        return new Verdict(start, end, middle, last, allowed, d);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** A number without needless decimals: 4, 4.5, 12.25. */
    static String plain(double d) {
        if (Double.isNaN(d)) {
            return "–";
        }
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
