package com.cloudextender.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.channel.ChannelState;

/** /metrics parsed back line by line, as a Prometheus scraper reads the text format 0.0.4. */
class MetricsPageTest {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
            + "(counter|gauge|histogram|summary|untyped)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Parses the exposition, checking that each sample follows its family's TYPE and no family repeats. */
    static List<Sample> parse(String text) {
        assertTrue(text.endsWith("\n"), "the last line ends with a line feed");
        List<Sample> out = new ArrayList<>();
        Set<String> families = new HashSet<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                continue;
            }
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                assertTrue(families.add(t.group(1)), "family declared twice: " + t.group(1));
                current = t.group(1);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            String name = m.group(1);
            assertTrue(current != null && (name.equals(current) || name.equals(current + "_bucket")
                    || name.equals(current + "_sum") || name.equals(current + "_count")),
                    name + " outside its family " + current);
            String v = m.group(3);
            double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
            out.add(new Sample(name, m.group(2) == null ? Map.of() : labels(m.group(2)), value));
        }
        return out;
    }

    /** Reads {@code a="x",b="y\"z"}, undoing the format's escapes. */
    static Map<String, String> labels(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            String key = s.substring(i, eq);
            assertTrue(key.matches("[a-zA-Z_][a-zA-Z0-9_]*"), "label name " + key);
            assertEquals('"', s.charAt(eq + 1));
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; s.charAt(j) != '"'; j++) {
                char c = s.charAt(j);
                if (c == '\\') {
                    char n = s.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                    assertTrue(n == 'n' || n == '\\' || n == '"', "escape \\" + n);
                } else {
                    assertTrue(c != '\n', "raw line feed in a label value");
                    v.append(c);
                }
            }
            m.put(key, v.toString());
            i = j + 1;
            if (i < s.length()) {
                assertEquals(',', s.charAt(i));
                i++;
            }
        }
        return m;
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value();
    }

    @Test
    void everyLineParsesAndTheValuesAreTheReports() {
        FakeStatus fake = new FakeStatus();
        fake.latency.record(40);
        fake.latency.record(3_000);
        List<Sample> s = parse(MetricsPage.render(fake.source()));
        assertEquals(1, value(s, "cloudextender_up", Map.of()));
        assertEquals(1, value(s, "cloudextender_channel_connected", Map.of()));
        assertEquals(1, value(s, "cloudextender_channel_state", Map.of("state", "CONNECTED")));
        assertEquals(0, value(s, "cloudextender_channel_state", Map.of("state", "CONNECTING")));
        assertEquals(10, value(s, "cloudextender_commands_received_total", Map.of()));
        assertEquals(7, value(s, "cloudextender_commands_succeeded_total", Map.of()));
        assertEquals(1, value(s, "cloudextender_commands_failed_total", Map.of()));
        assertEquals(2, value(s, "cloudextender_commands_refused_total", Map.of()));
        assertEquals(1, value(s, "cloudextender_commands_running", Map.of()));
        assertEquals(3, value(s, "cloudextender_commands_queued", Map.of()));
        assertEquals(5, value(s, "cloudextender_outbox_pending", Map.of()));
        assertTrue(value(s, "cloudextender_jvm_heap_used_bytes", Map.of()) > 0);
        assertEquals(Map.of("extender_id", "ext-42@cloud.test", "version", "1.2.3", "release_channel", "stable"),
                s.stream().filter(x -> x.name().equals("cloudextender_info")).findFirst().orElseThrow().labels());
    }

    @Test
    void theDurationHistogramIsCumulativeAndEndsAtTheCount() {
        FakeStatus fake = new FakeStatus();
        fake.latency.record(40);
        fake.latency.record(3_000);
        List<Sample> s = parse(MetricsPage.render(fake.source()));
        String h = "cloudextender_command_duration_seconds";
        assertEquals(0, value(s, h + "_bucket", Map.of("le", "0.025")));
        assertEquals(1, value(s, h + "_bucket", Map.of("le", "0.05")));
        assertEquals(1, value(s, h + "_bucket", Map.of("le", "2.5")));
        assertEquals(2, value(s, h + "_bucket", Map.of("le", "5")));
        assertEquals(2, value(s, h + "_bucket", Map.of("le", "+Inf")));
        assertEquals(2, value(s, h + "_count", Map.of()));
        assertEquals(3.04, value(s, h + "_sum", Map.of()), 1e-9);
        double previous = 0;
        for (Sample x : s) {
            if (x.name().equals(h + "_bucket")) {
                assertTrue(x.value() >= previous, "cumulative");
                previous = x.value();
            }
        }
    }

    @Test
    void moduleLabelsAreEscapedAndReadBackUnchanged() {
        FakeStatus fake = new FakeStatus();
        String odd = "we\"ird\\id\nline";
        fake.modules = List.of(Map.of("id", odd, "version", "1.0.0", "state", "active", "metrics",
                Map.of("sync \"full\"", 3L, "bind", Map.of("count", 4L, "meanMs", 2.5, "maxMs", 7.0))));
        fake.state = ChannelState.CREDENTIAL_REJECTED;
        String text = MetricsPage.render(fake.source());
        assertTrue(text.contains("id=\"we\\\"ird\\\\id\\nline\""), text);
        List<Sample> s = parse(text);
        assertEquals(1, value(s, "cloudextender_module_info", Map.of("id", odd, "version", "1.0.0", "state", "active")));
        assertEquals(3, value(s, "cloudextender_module_counter", Map.of("module", odd, "name", "sync \"full\"")));
        assertEquals(4, value(s, "cloudextender_module_timing_seconds_count", Map.of("module", odd, "name", "bind")));
        assertEquals(0.01, value(s, "cloudextender_module_timing_seconds_sum", Map.of("module", odd, "name", "bind")),
                1e-9);
        assertEquals(0.007, value(s, "cloudextender_module_timing_max_seconds", Map.of("module", odd, "name", "bind")),
                1e-9);
        assertEquals(0, value(s, "cloudextender_channel_connected", Map.of()));
        assertFalse(s.stream().anyMatch(x -> x.name().equals("cloudextender_module_counter")
                && x.labels().get("name").equals("bind")), "timings are not counters");
    }

    @Test
    void helpTextsEscapeBackslashAndLineFeedOnly() {
        assertEquals("a\\\\b\\nc\"", PrometheusText.escapeHelp("a\\b\nc\""));
        assertEquals("a\\\\b\\nc\\\"", PrometheusText.escapeLabel("a\\b\nc\""));
        assertEquals("0.005", PrometheusText.number(0.005));
        assertEquals("300", PrometheusText.number(300.0));
    }
}
