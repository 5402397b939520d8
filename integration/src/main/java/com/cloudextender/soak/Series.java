package com.cloudextender.soak;

/**
 * One measured series of the soak, one value per sample (NaN where a sample has none).
 *
 * @param name      what is plotted, e.g. "RSS"
 * @param unit      e.g. "MiB"
 * @param column    its CSV column, e.g. {@code rss_mib}
 * @param tolerance how much it may move between the second and the last third and still be flat
 */
record Series(String name, String unit, String column, double[] values, Trend.Tolerance tolerance) {
    Trend.Verdict verdict() {
        return Trend.judge(values, tolerance);
    }
}
