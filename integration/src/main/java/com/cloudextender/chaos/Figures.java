package com.cloudextender.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The text the harness prints: one block per run and a summary over all runs. */
final class Figures {
    private Figures() {
    }

    static String describe(ChaosRun.Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("[chaos] seed %d: %d commands, %d kill -9, faults %s, %d rerun(s) after a crash, "
                + "%d duplicate deliveries, %.1f s%n", r.seed(), r.findings().commands(), r.kills(), r.faults(),
                r.findings().rerunsAfterCrash(), r.findings().duplicateDeliveries(), r.millis() / 1000.0));
        if (!r.reconnectMillis().isEmpty()) {
            b.append(String.format("[chaos]   %d cuts: reconnect p50 %d ms, p99 %d ms, max %d ms; fds %d -> %d, "
                    + "threads %d -> %d, heap after GC %.1f -> %.1f MiB%n", r.reconnectMillis().size(),
                    percentile(r.reconnectMillis(), 50), percentile(r.reconnectMillis(), 99),
                    percentile(r.reconnectMillis(), 100), r.fdBefore(), r.fdAfter(), r.threadsBefore(), r.threadsAfter(),
                    r.heapBeforeKiB() / 1024.0, r.heapAfterKiB() / 1024.0));
        }
        List<String> v = r.violations();
        b.append(String.format("[chaos]   invariant violations: %d%n", v.size()));
        v.stream().limit(30).forEach(s -> b.append("[chaos]     ").append(s).append('\n'));
        if (v.size() > 30) {
            b.append("[chaos]     … and ").append(v.size() - 30).append(" more\n");
        }
        return b.toString().stripTrailing();
    }

    static String summary(List<ChaosRun.Report> reports) {
        List<Long> all = new ArrayList<>();
        reports.forEach(r -> all.addAll(r.reconnectMillis()));
        int commands = reports.stream().mapToInt(r -> r.findings().commands()).sum();
        int violations = reports.stream().mapToInt(r -> r.violations().size()).sum();
        int kills = reports.stream().mapToInt(ChaosRun.Report::kills).sum();
        return String.format("[chaos] total: %d run(s), %d commands, %d kill -9, faults %s, %d invariant violation(s)"
                + "%s", reports.size(), commands, kills, ChaosMain.merged(reports), violations,
                all.isEmpty() ? "" : String.format(", reconnect after a cut p50 %d ms p99 %d ms over %d cuts",
                        percentile(all, 50), percentile(all, 99), all.size()));
    }

    /** The nearest-rank percentile of {@code values} (100 is the maximum). */
    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
