package com.cloudextender.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.cloudextender.soak.LedgerCheck.Judged;
import com.cloudextender.soak.LedgerCheck.Verdict;

/**
 * Judges a soak run against its goals (issue 16 section 3): flat lines, no failed command apart from those
 * the cuts caused, and each of those answered after the reconnect; every cut, sync and swap done. Gives the
 * series for the plot and the CSV, and the summary text.
 */
final class SoakReport {
    /** How long after a reconnect a failure is still put down to the cut: the backlog and outbox flush. */
    static final long CUT_GRACE_NANOS = 10_000_000_000L;
    private static final int EXAMPLES = 5;

    private final SoakOptions options;
    private final SoakRun.Result run;
    private final LedgerCheck.Findings findings;
    private final SoakSeries series;

    SoakReport(SoakOptions options, SoakRun.Result run) {
        this.options = options;
        this.run = run;
        this.findings = LedgerCheck.check(run.commands(), run.cuts(), CUT_GRACE_NANOS);
        this.series = series();
    }

    SoakSeries soakSeries() {
        return series;
    }

    private SoakSeries series() {
        List<Sample> s = run.samples();
        double[] minutes = s.stream().mapToDouble(Sample::minute).toArray();
        long[] at = s.stream().mapToLong(Sample::nanos).toArray();
        List<Series> list = List.of(
                new Series("RSS", "MiB", "rss_mib", s.stream().mapToDouble(Sample::rssMiB).toArray(),
                        new Trend.Tolerance(0.10, 16)),
                new Series("heap after GC", "MiB", "heap_after_gc_mib", s.stream().mapToDouble(Sample::heapMiB).toArray(),
                        new Trend.Tolerance(0.10, 4)),
                // 4, as the chaos harness's leak tolerance for threads and descriptors across cuts.
                new Series("threads", "threads", "threads", s.stream().mapToDouble(Sample::threads).toArray(),
                        new Trend.Tolerance(0, 4)),
                new Series("file descriptors", "fds", "fds", s.stream().mapToDouble(Sample::fileDescriptors).toArray(),
                        new Trend.Tolerance(0, 4)),
                new Series("command p99", "ms", "p99_ms", LatencyWindows.p99(steadyCommands(), at),
                        new Trend.Tolerance(0.5, 20)));
        return new SoakSeries(minutes, list, run.cuts().stream().map(c -> minute(c.atNanos())).toList(),
                run.swaps().stream().map(w -> minute(w.atNanos())).toList());
    }

    /**
     * The commands whose latency says how the extender keeps up: the short ones of the mix, not caught in
     * a cut (their latency is the reconnect) and not the syncs (seconds of LDAP reads and uploads).
     */
    private List<CommandRecord> steadyCommands() {
        return findings.judged().stream()
                .filter(j -> j.verdict() == Verdict.OK && !j.command().kind().equals(DirectorySyncs.KIND))
                .map(Judged::command).toList();
    }

    /** Each unmet goal as a sentence; empty when the run met them all. */
    List<String> goalFailures() {
        List<String> f = new ArrayList<>();
        countGoal(f, Verdict.FAILED, "command(s) failed outside any cut");
        countGoal(f, Verdict.NO_OUTCOME, "command(s) got no outcome");
        countGoal(f, Verdict.CUT_FAILURE_UNANSWERED, "command(s) failed in a cut and were not answered after the reconnect");
        long lost = run.cuts().stream().filter(c -> !c.reconnected()).count();
        if (lost > 0) {
            f.add(lost + " cut(s) not followed by a reconnect within 60 s");
        }
        long notSwapped = run.swaps().stream().filter(w -> !w.done()).count();
        if (notSwapped > 0) {
            f.add(notSwapped + " module swap(s) not reported active within 2 minutes");
        }
        if (run.cuts().isEmpty() || run.syncs() == 0 || run.swaps().isEmpty()) {
            f.add("the run is too short for its periods: " + run.cuts().size() + " cut(s), " + run.syncs()
                    + " sync(s), " + run.swaps().size() + " swap(s); each needs at least one");
        }
        run.problems().forEach(p -> f.add("error in the run: " + p));
        if (options.judgeFlatness()) {
            for (Series s : series.series()) {
                Trend.Verdict v = s.verdict();
                if (v.direction() == Trend.Direction.RISING) {
                    f.add(s.name() + " is not flat: " + v.describe());
                } else if (v.direction() == Trend.Direction.TOO_SHORT) {
                    f.add(s.name() + ": too few samples to judge flatness (" + run.samples().size() + ")");
                }
            }
        }
        return f;
    }

    private void countGoal(List<String> f, Verdict v, String what) {
        List<Judged> js = findings.judged().stream().filter(j -> j.verdict() == v).toList();
        if (!js.isEmpty()) {
            f.add(js.size() + " " + what + ", e.g. " + js.stream().limit(EXAMPLES).map(this::describe)
                    .collect(Collectors.joining("; ")));
        }
    }

    private String describe(Judged j) {
        CommandRecord c = j.command();
        String how = c.outcome() == null ? "no outcome"
                : c.outcome().commandId() + " " + c.outcome().errorCode() + " " + c.outcome().payload();
        return String.format(Locale.ROOT, "#%d %s sent at minute %.2f: %s", c.number(), c.kind(), minute(c.sentNanos()),
                how);
    }

    String text() {
        StringBuilder b = new StringBuilder();
        line(b, "load: %.1f min at %d commands/s (%s in turn), a directory sync every %s min, a module swap every "
                + "%s min, a channel cut every %s min; a sample every %s s", options.minutes(), options.rate(),
                MixedLoad.MIX.stream().map(MixedLoad.Kind::name).collect(Collectors.joining(", ")),
                Trend.plain(options.syncEveryMinutes()), Trend.plain(options.swapEveryMinutes()),
                Trend.plain(options.cutEveryMinutes()), Trend.plain(options.sampleSeconds()));
        int sent = run.commands().size();
        int ok = findings.count(Verdict.OK) + findings.count(Verdict.ANSWERED_AFTER_CUT);
        line(b, "commands: %d sent (syncs included), %d answered with success, %d failed outside any cut, %d without an "
                + "outcome", sent, ok, findings.count(Verdict.FAILED), findings.count(Verdict.NO_OUTCOME));
        line(b, "caught in a cut (in flight at the cut or sent before the reconnect): %d answered with success after "
                + "the reconnect; failed while a cut was on: %d answered (with an error) after the reconnect, %d NOT "
                + "answered after it", findings.count(Verdict.ANSWERED_AFTER_CUT),
                findings.count(Verdict.CUT_FAILURE_ANSWERED), findings.count(Verdict.CUT_FAILURE_UNANSWERED));
        findings.judged().stream().filter(j -> j.verdict() == Verdict.CUT_FAILURE_ANSWERED).limit(EXAMPLES)
                .forEach(j -> line(b, "  cut-caused failure, answered after the reconnect: %s", describe(j)));
        double[] steady = steadyCommands().stream().mapToDouble(CommandRecord::latencyMillis).toArray();
        double[] caught = findings.judged().stream().filter(j -> j.verdict() == Verdict.ANSWERED_AFTER_CUT)
                .mapToDouble(j -> j.command().latencyMillis()).toArray();
        line(b, "latency of the steady commands (not syncs, not caught in a cut): p50 %s ms, p99 %s ms, max %s ms; "
                + "of those caught in a cut: p50 %s ms, max %s ms", ms(steady, 50), ms(steady, 99), ms(steady, 100),
                ms(caught, 50), ms(caught, 100));
        Set<Verdict> bad = Set.of(Verdict.FAILED, Verdict.CUT_FAILURE_ANSWERED, Verdict.CUT_FAILURE_UNANSWERED,
                Verdict.NO_OUTCOME);
        long syncFailed = findings.judged().stream()
                .filter(j -> j.command().kind().equals(DirectorySyncs.KIND) && bad.contains(j.verdict())).count();
        line(b, "syncs: %d run, %d failed", run.syncs(), syncFailed);
        double[] swapMs = run.swaps().stream().filter(ModuleSwaps.Swap::done).mapToDouble(ModuleSwaps.Swap::millis)
                .toArray();
        line(b, "module swaps: %d, %d reported active (publish → active: p50 %s ms, max %s ms)", run.swaps().size(),
                swapMs.length, ms(swapMs, 50), ms(swapMs, 100));
        double[] reconnect = run.cuts().stream().filter(Cut::reconnected).mapToDouble(Cut::reconnectMillis).toArray();
        line(b, "channel cuts: %d, %d followed by a reconnect (p50 %s ms, max %s ms)", run.cuts().size(),
                reconnect.length, ms(reconnect, 50), ms(reconnect, 100));
        for (Series s : series.series()) {
            Trend.Verdict v = s.verdict();
            line(b, "%-17s %s → %s %s; %s (%s)", s.name() + ":", Trend.plain(v.start()), Trend.plain(v.end()),
                    s.unit(), v.describe(), s.tolerance().describe(s.unit()));
        }
        List<Sample> samples = run.samples();
        if (!samples.isEmpty()) {
            double first = samples.get(0).storeMiB();
            double last = samples.get(samples.size() - 1).storeMiB();
            // Not a flat line by design: the store remembers every result for outbox.rememberFor (7 days).
            line(b, "local store file: %s → %s MiB, %s KiB per command sent (not judged: results are remembered "
                    + "for outbox.rememberFor)", Trend.plain(Math.round(first * 10) / 10.0),
                    Trend.plain(Math.round(last * 10) / 10.0),
                    Trend.plain(sent == 0 ? 0 : Math.round((last - first) * 1024 / sent * 100) / 100.0));
        }
        if (!options.judgeFlatness()) {
            line(b, "flatness reported, not judged (soak.judgeFlatness=false: the run is too short)");
        }
        List<String> failures = goalFailures();
        if (failures.isEmpty()) {
            line(b, "GOALS MET");
        } else {
            line(b, "GOALS NOT MET:");
            failures.forEach(f -> line(b, "  %s", f));
        }
        line(b, "work folder (logs: logs/extender.log for the cloud, extender-process.log): %s", run.work());
        return b.toString().stripTrailing();
    }

    private double minute(long nanos) {
        return (nanos - run.startNanos()) / 60e9;
    }

    private static String ms(double[] values, double p) {
        return Trend.plain(Math.round(LatencyWindows.percentile(values, p) * 10) / 10.0);
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append("[soak] ").append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
