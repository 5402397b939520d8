package com.cloudextender.core.status;

import static com.cloudextender.core.status.PrometheusText.labels;
import static com.cloudextender.core.status.ReportFields.map;
import static com.cloudextender.core.status.ReportFields.maps;
import static com.cloudextender.core.status.ReportFields.number;
import static com.cloudextender.core.status.ReportFields.text;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;

import com.cloudextender.core.channel.ChannelState;
import com.cloudextender.core.command.LatencyHistogram;

/** Renders {@code /metrics}: the extender's state in the Prometheus text format. */
final class MetricsPage {
    private static final String P = "cloudextender_";

    private MetricsPage() {
    }

    static String render(StatusSource source) {
        Map<String, Object> report = source.report().get();
        ChannelState state = source.channelState().get();
        PrometheusText t = new PrometheusText();
        t.family(P + "up", "gauge", "1 while the extender runs.").sample(P + "up", 1);
        t.family(P + "info", "gauge", "The extender's id, version and release channel, as labels.")
                .sample(P + "info", labels("extender_id", text(report, "extenderId"), "version",
                        text(report, "version"), "release_channel", text(report, "releaseChannel")), 1);
        t.family(P + "uptime_seconds", "gauge", "Seconds since the extender started.")
                .sample(P + "uptime_seconds", number(report, "uptimeSeconds"));

        t.family(P + "channel_connected", "gauge", "1 while the channel to the cloud is connected, else 0.")
                .sample(P + "channel_connected", state == ChannelState.CONNECTED ? 1 : 0);
        t.family(P + "channel_state", "gauge", "1 for the channel's current state, 0 for the others.");
        for (ChannelState s : ChannelState.values()) {
            t.sample(P + "channel_state", labels("state", s.name()), s == state ? 1 : 0);
        }
        t.family(P + "channel_failed_attempts", "gauge", "Failed connection attempts since the last connect.")
                .sample(P + "channel_failed_attempts", number(map(report, "channel"), "failedAttempts"));

        commands(t, map(report, "commands"), source.queuedCommands().getAsInt(), source.commandLatency().get());
        t.family(P + "outbox_pending", "gauge", "Results stored and not yet acknowledged by the cloud.")
                .sample(P + "outbox_pending", number(map(report, "outbox"), "pending"));
        modules(t, report);
        jvm(t);
        return t.toString();
    }

    private static void commands(PrometheusText t, Map<?, ?> c, int queued, LatencyHistogram.Snapshot latency) {
        counter(t, "commands_received_total", "Commands received from the cloud.", number(c, "received"));
        counter(t, "commands_succeeded_total", "Commands that ended with a result.", number(c, "succeeded"));
        counter(t, "commands_failed_total", "Commands that ended with an error (time-outs included).",
                number(c, "failed"));
        counter(t, "commands_refused_total", "Commands refused at admission (busy, unknown, invalid).",
                number(c, "refused"));
        counter(t, "commands_timed_out_total", "Commands ended at their time limit.", number(c, "timedOut"));
        t.family(P + "commands_running", "gauge", "Commands running now.")
                .sample(P + "commands_running", number(c, "running"));
        t.family(P + "commands_queued", "gauge", "Commands waiting for a worker.")
                .sample(P + "commands_queued", queued);

        String h = P + "command_duration_seconds";
        t.family(h, "histogram", "Duration of finished commands.");
        long cumulative = 0;
        for (int i = 0; i < latency.boundsMillis().length; i++) {
            cumulative += latency.counts()[i];
            t.sample(h + "_bucket", labels("le", PrometheusText.number(latency.boundsMillis()[i] / 1000.0)),
                    cumulative);
        }
        t.sample(h + "_bucket", labels("le", "+Inf"), latency.count());
        t.sample(h + "_sum", latency.sumMillis() / 1000.0);
        t.sample(h + "_count", latency.count());
    }

    private static void counter(PrometheusText t, String name, String help, double value) {
        t.family(P + name, "counter", help).sample(P + name, value);
    }

    private static void modules(PrometheusText t, Map<String, Object> report) {
        var modules = maps(report, "modules");
        t.family(P + "module_info", "gauge", "1 for each installed module, with its version and state.");
        for (Map<?, ?> m : modules) {
            t.sample(P + "module_info", labels("id", text(m, "id"), "version", text(m, "version"), "state",
                    text(m, "state")), 1);
        }
        t.family(P + "module_counter", "untyped", "A module's own counters (ModuleMetrics.count), by name.");
        for (Map<?, ?> m : modules) {
            map(m, "metrics").forEach((name, value) -> {
                if (value instanceof Number n) {
                    t.sample(P + "module_counter", labels("module", text(m, "id"), "name", name.toString()),
                            n.doubleValue());
                }
            });
        }
        String timing = P + "module_timing_seconds";
        t.family(timing, "summary", "A module's own timings (ModuleMetrics.time), by name.");
        for (Map<?, ?> m : modules) {
            map(m, "metrics").forEach((name, value) -> {
                if (value instanceof Map<?, ?> s) {
                    var l = labels("module", text(m, "id"), "name", name.toString());
                    double count = number(s, "count");
                    t.sample(timing + "_sum", l, number(s, "meanMs") * count / 1000.0);
                    t.sample(timing + "_count", l, count);
                }
            });
        }
        t.family(P + "module_timing_max_seconds", "gauge", "The longest of a module's timings, by name.");
        for (Map<?, ?> m : modules) {
            map(m, "metrics").forEach((name, value) -> {
                if (value instanceof Map<?, ?> s) {
                    t.sample(P + "module_timing_max_seconds", labels("module", text(m, "id"), "name",
                            name.toString()), number(s, "maxMs") / 1000.0);
                }
            });
        }
    }

    private static void jvm(PrometheusText t) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        t.family(P + "jvm_heap_used_bytes", "gauge", "Java heap in use.")
                .sample(P + "jvm_heap_used_bytes", heap.getUsed());
        t.family(P + "jvm_heap_max_bytes", "gauge", "Largest Java heap allowed (-1 when undefined).")
                .sample(P + "jvm_heap_max_bytes", heap.getMax());
    }
}
