package com.cloudextender.core.status;

import static com.cloudextender.core.status.Html.escape;
import static com.cloudextender.core.status.ReportFields.map;
import static com.cloudextender.core.status.ReportFields.maps;
import static com.cloudextender.core.status.ReportFields.number;
import static com.cloudextender.core.status.ReportFields.text;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.cloudextender.core.command.LatencyHistogram;

/**
 * Renders {@code /}: one self-contained HTML page for administrators (inline CSS, no script, no external
 * asset), refreshed by the browser every 10 seconds. Every value from the report or the log is escaped.
 */
final class StatusHtmlPage {
    static final int REFRESH_SECONDS = 10;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
            h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.2em 0 .4em}
            table{border-collapse:collapse;background:#fff;margin-bottom:.5em}
            th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
            th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .state{display:inline-block;padding:.2em .7em;border-radius:.3em;font-weight:bold;color:#fff}
            .ok{background:#2e7d32}.warn{background:#c77700}.bad{background:#c62828}
            .err{color:#c62828}.log td{font:12px/1.3 monospace}.muted{color:#777}
            .grid{display:flex;flex-wrap:wrap;gap:0 2.5em}
            """;

    private StatusHtmlPage() {
    }

    static String render(StatusSource source, List<LogLine> log) {
        Map<String, Object> r = source.report().get();
        Map<?, ?> ch = map(r, "channel");
        String state = text(ch, "state");
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>Cloud Extender ").append(escape(text(r, "extenderId"))).append("</title>")
                .append("<style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>Cloud Extender <span id=\"extender-id\">").append(escape(text(r, "extenderId")))
                .append("</span></h1>\n<p><span id=\"channel-state\" class=\"state ").append(stateClass(state))
                .append("\">").append(escape(state)).append("</span> <span class=\"muted\">since ")
                .append(escape(time(text(ch, "since")))).append("</span></p>\n<div class=\"grid\">");

        h.append("<section><h2>Connection</h2><table>");
        row(h, "Cloud server", text(ch, "server"));
        row(h, "State", state);
        row(h, "Since", time(text(ch, "since")));
        row(h, "Failed attempts", text(ch, "failedAttempts"));
        row(h, "Last error", text(ch, "lastError"));
        row(h, "Next attempt", time(text(ch, "nextAttempt")));
        row(h, "Proxy", text(r, "proxy"));
        Map<?, ?> pa = map(r, "proxyAuth");
        if (!text(pa, "proxy").isEmpty()) {
            row(h, "Proxy offers", text(pa, "offered"));
            row(h, "Proxy authentication", text(pa, "scheme"));
            row(h, "Proxy last failure", text(pa, "lastFailure").isEmpty() ? "none"
                    : time(text(pa, "lastFailureAt")) + ": " + text(pa, "lastFailure"));
        }
        h.append("</table></section>\n");

        h.append("<section><h2>Extender</h2><table>");
        row(h, "Id", text(r, "extenderId"));
        row(h, "Version", text(r, "version"));
        row(h, "Release channel", text(r, "releaseChannel"));
        row(h, "Started", time(text(r, "startedAt")));
        row(h, "Uptime", uptime((long) number(r, "uptimeSeconds")));
        row(h, "Results waiting in the outbox", text(map(r, "outbox"), "pending"));
        h.append("</table></section>\n");

        commands(h, map(r, "commands"), source.queuedCommands().getAsInt(), source.commandLatency().get());
        h.append("</div>\n");
        modules(h, maps(r, "modules"));
        leases(h, maps(r, "leases"));
        log(h, log);
        h.append("<p class=\"muted\">Refreshes every ").append(REFRESH_SECONDS)
                .append(" s. Also: <a href=\"status.json\">status.json</a>, <a href=\"metrics\">metrics</a>.</p>")
                .append("</body></html>\n");
        return h.toString();
    }

    private static void commands(StringBuilder h, Map<?, ?> c, int queued, LatencyHistogram.Snapshot latency) {
        h.append("<section><h2>Commands</h2><table id=\"commands\">");
        numberRow(h, "Received", text(c, "received"));
        numberRow(h, "Succeeded", text(c, "succeeded"));
        numberRow(h, "Failed", text(c, "failed"));
        numberRow(h, "Timed out", text(c, "timedOut"));
        numberRow(h, "Refused", text(c, "refused"));
        numberRow(h, "Running", text(c, "running"));
        numberRow(h, "Queued", Integer.toString(queued));
        long n = latency.count();
        numberRow(h, "Duration p50", n == 0 ? "–" : latency.quantileMillis(0.5) + " ms");
        numberRow(h, "Duration p99", n == 0 ? "–" : latency.quantileMillis(0.99) + " ms");
        numberRow(h, "Duration mean", n == 0 ? "–" : latency.sumMillis() / n + " ms");
        numberRow(h, "Duration max", n == 0 ? "–" : latency.maxMillis() + " ms");
        h.append("</table></section>\n");
    }

    private static void modules(StringBuilder h, List<Map<?, ?>> modules) {
        h.append("<section><h2>Modules</h2><table id=\"modules\"><tr><th>Module</th><th>Version</th>")
                .append("<th>State</th><th>Waiting upgrade</th><th>In flight</th><th>Last error</th></tr>");
        for (Map<?, ?> m : modules) {
            h.append("<tr><td>").append(escape(text(m, "id"))).append("</td><td>")
                    .append(escape(text(m, "version"))).append("</td><td>").append(escape(text(m, "state")))
                    .append("</td><td>").append(escape(text(m, "pendingVersion"))).append("</td><td class=\"n\">")
                    .append(escape(text(m, "inFlight"))).append("</td><td class=\"err\">")
                    .append(escape(text(m, "lastError"))).append("</td></tr>");
        }
        h.append("</table>");
        // Module metrics are whatever the modules record (for the directory module: its sync results).
        for (Map<?, ?> m : modules) {
            Map<?, ?> metrics = map(m, "metrics");
            if (metrics.isEmpty()) {
                continue;
            }
            h.append("<h3>").append(escape(text(m, "id"))).append(" metrics</h3><table>")
                    .append("<tr><th>Name</th><th>Value</th></tr>");
            metrics.forEach((name, value) -> {
                String shown = value instanceof Map<?, ?> t
                        ? String.format(Locale.ROOT, "%.0f times, mean %.1f ms, max %.1f ms", number(t, "count"),
                                number(t, "meanMs"), number(t, "maxMs"))
                        : String.valueOf(value);
                h.append("<tr><td>").append(escape(name)).append("</td><td class=\"n\">").append(escape(shown))
                        .append("</td></tr>");
            });
            h.append("</table>");
        }
        h.append("</section>\n");
    }

    /** The customer-wide leases this extender's singleton work wants: which it holds, and who holds the others. */
    private static void leases(StringBuilder h, List<Map<?, ?>> leases) {
        if (leases.isEmpty()) {
            return;
        }
        h.append("<section><h2>Leases</h2><table id=\"leases\"><tr><th>Lease</th><th>Held here</th>")
                .append("<th>Generation</th><th>Valid for</th><th>Holder</th></tr>");
        for (Map<?, ?> l : leases) {
            boolean held = Boolean.parseBoolean(text(l, "held"));
            boolean fenced = Boolean.parseBoolean(text(l, "fenced"));
            h.append("<tr><td>").append(escape(text(l, "name"))).append("</td><td>")
                    .append(!fenced ? "yes (the cloud grants no leases)" : held ? "yes" : "no").append("</td><td class=\"n\">")
                    .append(escape(text(l, "generation"))).append("</td><td class=\"n\">")
                    .append(held && fenced ? escape(text(l, "validMillis")) + " ms" : "").append("</td><td>")
                    .append(escape(held ? "this extender" : text(l, "holder"))).append("</td></tr>");
        }
        h.append("</table></section>\n");
    }

    private static void log(StringBuilder h, List<LogLine> log) {
        h.append("<section><h2>Recent log (INFO and above, newest first)</h2><table class=\"log\" id=\"log\">")
                .append("<tr><th>Time</th><th>Level</th><th>Logger</th><th>Message</th></tr>");
        for (int i = log.size() - 1; i >= 0; i--) {
            LogLine l = log.get(i);
            h.append("<tr><td>").append(escape(TIME.format(l.time()))).append("</td><td")
                    .append(l.level().equals("INFO") ? ">" : " class=\"err\">").append(escape(l.level()))
                    .append("</td><td>").append(escape(shortLogger(l.logger()))).append("</td><td>")
                    .append(escape(l.message())).append("</td></tr>");
        }
        h.append("</table></section>\n");
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>");
    }

    private static void numberRow(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(escape(name)).append("</th><td class=\"n\">").append(escape(value))
                .append("</td></tr>");
    }

    private static String stateClass(String state) {
        return switch (state) {
            case "CONNECTED" -> "ok";
            case "STARTING", "CONNECTING", "WAITING_TO_RECONNECT" -> "warn";
            default -> "bad";
        };
    }

    private static String shortLogger(String logger) {
        int dot = logger == null ? -1 : logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    /** An ISO instant from the report as a readable UTC time to the second; anything else as it is. */
    static String time(String iso) {
        try {
            return iso.isEmpty() ? iso : TIME.format(java.time.Instant.parse(iso));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    static String uptime(long seconds) {
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
