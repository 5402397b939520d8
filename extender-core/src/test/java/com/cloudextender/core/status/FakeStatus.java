package com.cloudextender.core.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cloudextender.core.channel.ChannelState;
import com.cloudextender.core.command.LatencyHistogram;

/** A status source with values the tests set, shaped like Extender.statusReport(). */
final class FakeStatus {
    volatile ChannelState state = ChannelState.CONNECTED;
    volatile List<Map<String, Object>> modules = List.of();
    volatile List<Map<String, Object>> leases = List.of();
    final LatencyHistogram latency = new LatencyHistogram();

    StatusSource source() {
        return new StatusSource(this::report, () -> state, () -> 3, latency::snapshot);
    }

    Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("extenderId", "ext-42@cloud.test");
        m.put("version", "1.2.3");
        m.put("startedAt", "2026-01-01T00:00:00Z");
        m.put("uptimeSeconds", 3_725L);
        m.put("releaseChannel", "stable");
        m.put("modules", modules);
        m.put("leases", leases);
        m.put("commands", Map.of("received", 10L, "succeeded", 7L, "failed", 1L, "refused", 2L, "timedOut", 0L,
                "running", 1L));
        Map<String, Object> ch = new LinkedHashMap<>();
        ch.put("state", state.name());
        ch.put("since", "2026-01-01T00:00:01Z");
        ch.put("lastError", state == ChannelState.CONNECTED ? null : "connection refused");
        ch.put("failedAttempts", 0);
        ch.put("nextAttempt", null);
        ch.put("server", "cloud.test:443");
        m.put("channel", ch);
        m.put("outbox", Map.of("pending", 5));
        m.put("proxy", "proxy.host says PROXY squid.corp:3128 for cloud.test:443");
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("proxy", "squid.corp:3128");
        auth.put("offered", "Negotiate, NTLM");
        auth.put("scheme", "NTLM");
        auth.put("lastFailure", "proxy squid.corp:3128 refused CONNECT cloud.test:443: HTTP 407");
        auth.put("lastFailureAt", "2026-01-01T00:00:02Z");
        m.put("proxyAuth", auth);
        return m;
    }
}
