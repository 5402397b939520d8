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
        HttpResponse<String> page = get("/", "Authorization", basic("admin", "S3cret pässword"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("ext-42@cloud.test"));
        assertEquals(200, get("/metrics", "Authorization", basic("admin", "S3cret pässword")).statusCode());
        // Within the free failed logins (LoginThrottle.FREE_FAILURES), then one that waits.
        assertEquals(401, get("/", "Authorization", basic("admin", "wrong")).statusCode());
        assertEquals(401, get("/", "Authorization", basic("root", "S3cret pässword")).statusCode());
        assertEquals(401, get("/", "Authorization", "Basic !!!not-base64").statusCode());
        assertEquals(401, get("/", "Authorization", "Bearer S3cret").statusCode());
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
    void thePageShowsWhichLeasesThisExtenderHoldsAndWhoHoldsTheOthers() throws Exception {
        fake.leases = List.of(
                new com.cloudextender.core.lease.LeaseStatus("directory.sync", true, 7, 11_500, null, true).report(),
                new com.cloudextender.core.lease.LeaseStatus("exchange.devices", false, 0, 0, "ext-2<b>", true).report());
        start(Optional.empty());
        String html = get("/").body();
        assertTrue(html.contains("<td>directory.sync</td><td>yes</td><td class=\"n\">7</td><td class=\"n\">11500 ms</td>"
                + "<td>this extender</td>"), html);
        assertTrue(html.contains("<td>exchange.devices</td><td>no</td><td class=\"n\">0</td><td class=\"n\"></td>"
                + "<td>ext-2&lt;b&gt;</td>"), html);
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

    /** Opens a connection that sends the start of a request and then nothing: what a slowloris client does. */
    private Socket halfRequest() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write("GET /status.json HTTP/1.1\r\nHost: 127.0".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void twoClientsThatNeverFinishTheirRequestDoNotStallReady() throws Exception {
        start(Optional.of("pw"));
        try (Socket a = halfRequest(); Socket b = halfRequest()) {
            Thread.sleep(200); // both are being read now
            long t0 = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(1000);
                s.getOutputStream().write("GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertTrue(ms < 1000, "/ready took " + ms + " ms");
        }
    }

    @Test
    void aRequestThatDoesNotArriveWithinTheTimeLimitIsCut() throws Exception {
        server = StatusServer.start(new StatusServer.Settings("127.0.0.1", 0, "admin", Optional.empty(),
                Optional.empty(), false), fake.source(),
                new BoundedHttpServer.Limits(Duration.ofMillis(300), 16, 8, 8192), java.time.Clock.systemUTC());
        try (Socket s = halfRequest()) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            int first;
            try {
                first = s.getInputStream().read();
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            assertEquals(-1, first, "closed without an answer");
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertTrue(ms < 3000, "cut after " + ms + " ms");
        }
    }

    @Test
    void connectionsOfOneClientAreBoundedSoOthersAreStillServed() throws Exception {
        server = StatusServer.start(new StatusServer.Settings("127.0.0.1", 0, "admin", Optional.empty(),
                Optional.empty(), false), fake.source(),
                new BoundedHttpServer.Limits(Duration.ofSeconds(10), 16, 2, 8192), java.time.Clock.systemUTC());
        try (Socket a = halfRequest(); Socket b = halfRequest(); Socket c = halfRequest()) {
            c.setSoTimeout(5000);
            assertEquals(-1, c.getInputStream().read(), "the third connection of one address is closed at once");
        }
    }

    @Test
    void anOversizedRequestHeadIsRefused() throws Exception {
        start(Optional.empty());
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(9000))
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        }
    }

    /** A clock the test moves. */
    private static final class TestClock extends java.time.Clock {
        java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void failedLoginsAreSlowedPerAddressAndLoggedAtDebugOnly() throws Exception {
        TestClock clock = new TestClock();
        server = StatusServer.start(new StatusServer.Settings("127.0.0.1", 0, "admin", Optional.of("right"),
                Optional.empty(), false), fake.source(), BoundedHttpServer.Limits.DEFAULT, clock);
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(401, get("/status.json", "Authorization", basic("admin", "wrong" + i)).statusCode());
        }
        HttpResponse<String> slowed = get("/status.json", "Authorization", basic("admin", "right"));
        assertEquals(429, slowed.statusCode(), "even the right password waits: guessing gains nothing");
        assertEquals("1", slowed.headers().firstValue("Retry-After").orElse(""));
        assertEquals(200, get("/ready").statusCode(), "/ready needs no login and is not slowed");
        clock.now = clock.now.plusSeconds(1);
        assertEquals(200, get("/status.json", "Authorization", basic("admin", "right")).statusCode());
        assertEquals(401, get("/status.json", "Authorization", basic("admin", "wrong")).statusCode(),
                "a success clears the count");
        assertFalse(server.logLines().stream().anyMatch(l -> l.message().contains("login")),
                "no login line at INFO or above: " + server.logLines());
    }

    @Test
    void aNonLoopbackAddressWithoutTlsIsRefusedUnlessExplicitlyAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusServer.start(new StatusServer.Settings("0.0.0.0", 0, "admin", Optional.of("pw"),
                        Optional.empty(), false), fake.source()));
        assertTrue(e.getMessage().startsWith("status.keyStore: required"), e.getMessage());
    }

    @Test
    void withAKeyStoreThePageIsServedOverTlsOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path p12 = dir.resolve("status.p12");
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-keyalg", "EC", "-alias", "status", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", "st0re-pw").redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), out);
        server = StatusServer.start(new StatusServer.Settings("127.0.0.1", 0, "admin", Optional.of("pw"),
                Optional.of(StatusTls.context(p12, "st0re-pw")), false), fake.source());

        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(p12)) {
            ks.load(in, "st0re-pw".toCharArray());
        }
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("status", ks.getCertificate("status"));
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        javax.net.ssl.SSLContext client = javax.net.ssl.SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(client).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
                + "/status.json")).header("Authorization", basic("admin", "pw")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("ext-42"), r.body());
        // Plain HTTP to the same port gets no page.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer;
            try {
                answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (java.net.SocketException reset) {
                answer = "";
            }
            assertFalse(answer.contains("ready"), answer);
        }
    }
}
