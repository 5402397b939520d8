package com.cloudextender.soak;

import java.nio.file.Path;

/**
 * What a soak run does, read from system properties ({@code scripts/bench soak -Dsoak.minutes=…}). Periods
 * are in minutes and may be fractions, so that the smoke run fits every kind of event in seconds.
 *
 * @param minutes        length of the load (soak.minutes, default 30)
 * @param sampleSeconds  time between two samples of the extender process (soak.sampleSeconds, default 30)
 * @param cutEveryMinutes  period of the channel cuts (soak.cutEveryMinutes, default 3)
 * @param syncEveryMinutes period of the directory syncs (soak.syncEveryMinutes, default 1)
 * @param swapEveryMinutes period of the module swaps (soak.swapEveryMinutes, default 5)
 * @param rate           commands per second, besides the syncs (soak.rate, default 20)
 * @param users          people in the embedded directory (soak.users, default 500)
 * @param judgeFlatness  whether a series that is not flat fails the run (soak.judgeFlatness, default true;
 *                       the smoke run is too short to judge and sets it false)
 * @param out            folder of series.csv, events.csv and the run's logs (soak.out, default target/soak)
 * @param png            the plot (soak.png; default docs/soak.png for a full-length run of 30 minutes or
 *                       more, else soak.png in {@code out})
 */
record SoakOptions(double minutes, double sampleSeconds, double cutEveryMinutes, double syncEveryMinutes,
        double swapEveryMinutes, int rate, int users, boolean judgeFlatness, Path out, Path png) {

    /** A full-length run: the one whose plot goes to docs/. */
    static final double FULL_LENGTH_MINUTES = 30;

    static SoakOptions fromSystemProperties() {
        double minutes = number("soak.minutes", 30);
        Path out = Path.of(System.getProperty("soak.out", "target/soak"));
        String png = System.getProperty("soak.png");
        Path plot = png != null ? Path.of(png)
                : minutes >= FULL_LENGTH_MINUTES ? Path.of("docs/soak.png") : out.resolve("soak.png");
        SoakOptions o = new SoakOptions(minutes, number("soak.sampleSeconds", 30), number("soak.cutEveryMinutes", 3),
                number("soak.syncEveryMinutes", 1), number("soak.swapEveryMinutes", 5),
                (int) number("soak.rate", 20), (int) number("soak.users", 500),
                Boolean.parseBoolean(System.getProperty("soak.judgeFlatness", "true")), out, plot);
        o.check();
        return o;
    }

    private void check() {
        if (minutes <= 0 || sampleSeconds <= 0 || cutEveryMinutes <= 0 || syncEveryMinutes <= 0
                || swapEveryMinutes <= 0 || rate <= 0 || users < 8) {
            throw new IllegalArgumentException("soak options must be positive (and soak.users at least 8): " + this);
        }
    }

    private static double number(String name, double fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + v + " is not a number");
        }
    }

    long nanos(double minutesValue) {
        return (long) (minutesValue * 60e9);
    }
}
