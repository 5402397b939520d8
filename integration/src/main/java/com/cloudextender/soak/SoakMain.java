package com.cloudextender.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.cloudextender.bench.BenchLogs;

/**
 * {@code scripts/bench soak} (issue 16 section 3, docs/RELIABILITY.md "Soak"): the extender as a separate
 * process under a steady mixed load for {@code soak.minutes} (30), with a directory sync every minute,
 * module swaps and channel cuts, sampled all along. Writes the series to {@code target/soak/series.csv}
 * (events in events.csv) and the plot to {@code soak.png} ({@code docs/soak.png} for a full-length run),
 * prints the figures and exits 1 when a goal is not met. Options: see {@link SoakOptions}.
 */
public final class SoakMain {
    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        int status;
        Path work = Files.createTempDirectory("cloud-extender-soak-");
        try {
            SoakOptions options = SoakOptions.fromSystemProperties();
            BenchLogs.toFile(work);
            SoakRun.say(String.format(Locale.ROOT, "%.1f min soak; the cloud's log in %s", options.minutes(),
                    work.resolve("logs/extender.log")));
            SoakRun.Result run = new SoakRun(options, work).run();
            SoakReport report = new SoakReport(options, run);
            Files.createDirectories(options.out());
            Files.writeString(options.out().resolve("series.csv"), SeriesCsv.series(report.soakSeries()));
            Files.writeString(options.out().resolve("events.csv"), SeriesCsv.events(run.events()));
            SoakPlot.write(report.soakSeries(), String.format(Locale.ROOT,
                    "Cloud Extender soak: %s min, %d commands/s, sync every %s min, swap every %s min, cut every %s min",
                    Trend.plain(options.minutes()), options.rate(), Trend.plain(options.syncEveryMinutes()),
                    Trend.plain(options.swapEveryMinutes()), Trend.plain(options.cutEveryMinutes())), options.png());
            System.out.println(report.text());
            SoakRun.say("series in " + options.out().resolve("series.csv") + ", events in "
                    + options.out().resolve("events.csv") + ", plot in " + options.png());
            status = report.goalFailures().isEmpty() ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace();
            SoakRun.say("FAILED: " + e.getMessage() + " (logs in " + work + ")");
            status = 1;
        }
        // The dev cloud's and the pools' non-daemon threads must not keep the JVM alive.
        System.exit(status);
    }
}
