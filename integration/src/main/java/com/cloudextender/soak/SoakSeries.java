package com.cloudextender.soak;

import java.util.List;

/**
 * Everything the plot and the CSV show: the sample times in minutes since the load began, the series
 * measured at them, and when the cuts and the module swaps happened.
 */
record SoakSeries(double[] minutes, List<Series> series, List<Double> cutMinutes, List<Double> swapMinutes) {
    SoakSeries {
        for (Series s : series) {
            if (s.values().length != minutes.length) {
                throw new IllegalArgumentException(s.name() + " has " + s.values().length + " values for "
                        + minutes.length + " samples");
            }
        }
    }
}
