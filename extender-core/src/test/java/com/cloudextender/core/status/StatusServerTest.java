package com.cloudextender.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.channel.ChannelState;

/** The status server over real HTTP on an ephemeral loopback port, with a fake status source. */
class StatusServerTest {
    private final FakeStatus fake = new FakeStatus();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StatusServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Optional<String> password) throws IOException {
        server = StatusServer.start("127.0.0.1", 0, "admin", password, fake.source());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readyIs200OnlyWhileConnectedAndTellsNothingButTheState() throws Exception {
        start(Optional.of("pw"));
        HttpResponse<String> ok = get("/ready");
        assertEquals(200, ok.statusCode());
        assertEquals("ready\n", ok.body());
        fake.state = ChannelState.WAITING_TO_RECONNECT;
        HttpResponse<String> down = get("/ready");
        assertEquals(503, down.statusCode());
        assertEquals("not ready: WAITING_TO_RECONNECT\n", down.body());
        assertFalse(down.body().contains("connection refused"), "no detail beyond the state");
    }

    @Test
    void withAPasswordEveryPageButReadyNeedsIt() throws Exception {
        start(Optional.of("S3cret pässword"));
        for (String path : List.of("/", "/metrics", "/status.json", "/nowhere")) {
            HttpResponse<String> none = get(path);
            assertEquals(401, none.statusCode(), path);
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="), path);
            assertFalse(none.body().contains("ext-42"), path);
        }
        assertEquals(401, get("/", "Authorization", basic("admin", "wrong")).statusCode());
        assertEquals(401, get("/", "Authorization", basic("root", "S3cret pässword")).statusCode());
        assertEquals(401, get("/", "Authorization", "Basic !!!not-base64").statusCode());
        assertEquals(401, get("/", "Authorization", "Bearer S3cret").statusCode());
        HttpResponse<String> page = get("/", "Authorization", basic("admin", "S3cret pässword"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("ext-42@cloud.test"));
        assertEquals(200, get("/metrics", "Authorization", basic("admin", "S3cret pässword")).statusCode());
    }

    @Test
    void withoutAPasswordThePagesAreOpenOnLoopback() throws Exception {
        start(Optional.empty());
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(404, get("/nowhere").statusCode());
    }

    @Test
    void thePageShowsTheStateModulesCommandsAndEscapesEverything() throws Exception {
        fake.modules = List.of(Map.of("id", "directory", "version", "2.0.1", "state", "failed", "lastError",
                "bind failed <script>alert('x')</script> & more", "pendingVersion", "2.1.0",
                "metrics", Map.of("sync.full", 4L, "sync.time", Map.of("count", 2L, "meanMs", 12.5, "maxMs", 20.0))));
        fake.latency.record(40);
        start(Optional.empty());
        String html = get("/").body();
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("bind failed &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"), html);
        assertTrue(html.contains("<span id=\"channel-state\" class=\"state ok\">CONNECTED</span>"));
        assertTrue(html.contains("<td>directory</td><td>2.0.1</td><td>failed</td><td>2.1.0</td>"));
        assertTrue(html.contains("sync.full"));
        assertTrue(html.contains("1 h 2 min"), "uptime");
        assertTrue(html.contains("since 2026-01-01 00:00:01 UTC"), "readable times");
        assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"10\">"));
        assertTrue(html.contains("<th>Proxy offers</th><td>Negotiate, NTLM</td>"), html);
        assertTrue(html.contains("<th>Proxy authentication</th><td>NTLM</td>"), html);
        assertTrue(html.contains("<th>Proxy last failure</th><td>2026-01-01 00:00:02 UTC: proxy squid.corp:3128"), html);
        assertFalse(html.contains("<script"), "no script at all");
    }

    @Test
    void statusJsonIsTheReport() throws Exception {
        start(Optional.empty());
        HttpResponse<String> r = get("/status.json");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<?, ?> parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(r.body(), Map.class);
        assertEquals("ext-42@cloud.test", parsed.get("extenderId"));
        assertEquals("CONNECTED", ((Map<?, ?>) parsed.get("channel")).get("state"));
    }

    @Test
    void metricsUseThePrometheusContentType() throws Exception {
        start(Optional.empty());
        HttpResponse<String> r = get("/metrics");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("cloudextender_channel_connected 1\n"));
    }

    @Test
    void onlyGetAndHeadAreServed() throws Exception {
        start(Optional.empty());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/")).POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void onLoopbackAForeignHostHeaderIsRefused() throws Exception {
        // What a browser sends after DNS rebinding: the attacker's name in Host, our address underneath.
        start(Optional.empty());
        assertTrue(rawGet("evil.example:" + server.port()).startsWith("HTTP/1.1 403"));
        assertTrue(rawGet("localhost:" + server.port()).startsWith("HTTP/1.1 200"));
        assertTrue(rawGet("[::1]:" + server.port()).startsWith("HTTP/1.1 200"));
    }

    private String rawGet(String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /ready HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void loopbackHostNames() {
        assertTrue(StatusServer.isLoopbackHost("127.0.0.1:8099"));
        assertTrue(StatusServer.isLoopbackHost("LOCALHOST"));
        assertTrue(StatusServer.isLoopbackHost("[::1]"));
        assertFalse(StatusServer.isLoopbackHost("127.0.0.1.evil.example"));
        assertFalse(StatusServer.isLoopbackHost("[::2]:80"));
        assertFalse(StatusServer.isLoopbackHost(null));
    }

    @Test
    void aTakenPortIsReportedAsAnIoErrorAndCollectsNoLog() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThrows(java.net.BindException.class, () -> StatusServer.start("127.0.0.1", taken.getLocalPort(),
                    "admin", Optional.empty(), fake.source()));
        }
        ch.qos.logback.classic.Logger root = ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertTrue(root.getAppender("status-page-log-ring") == null, "no ring left attached");
    }

    @Test
    void aNonLoopbackAddressWithoutPasswordIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusServer.start("0.0.0.0", 0, "admin", Optional.empty(), fake.source()));
        assertTrue(e.getMessage().startsWith("status.password"), e.getMessage());
    }

    @Test
    void thePageShowsRecentLogLinesAndStopsCollectingWhenClosed() throws Exception {
        start(Optional.empty());
        LoggerFactory.getLogger("com.cloudextender.test.Probe").info("probe <b>line</b> {}", 1);
        String html = get("/").body();
        assertTrue(html.contains("probe &lt;b&gt;line&lt;/b&gt; 1"), html);
        server.close();
        LoggerFactory.getLogger("com.cloudextender.test.Probe").info("after close");
        assertFalse(server.logLines().stream().anyMatch(l -> l.message().equals("after close")));
        server = null;
    }
}
