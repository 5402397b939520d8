package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.cloudextender.bench.NginxPeer;
import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;

/**
 * MEG end to end with real servers: curl → the dev cloud's gateway (HTTP proxy) → its relay endpoint →
 * the extender's {@code meg} module over the HTTP/2 tunnel → a real nginx on loopback. Static pages, a
 * large download checked byte for byte, a streamed upload, a redirect passed back (never followed),
 * Basic authentication passed through, a byte stream (CONNECT), the allow list's refusals, a tunnel
 * killed mid-download, and allow-list changes applied while a download runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MegEndToEndIT extends DevCloudTestBase {
    private static final String CUSTOMER = "meg-co";
    private static final String GW_USER = "bob";
    private static final String GW_PASSWORD = "gateway-pass-1";
    private static final long LARGE = 64L << 20;
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static NginxPeer nginx;
    private static Extender extender;
    private static Path work;

    @BeforeAll
    static void up() throws Exception {
        work = Files.createDirectories(shared.resolve("meg"));
        nginx = NginxPeer.start(work.resolve("nginx"), LARGE);
        cloud.publishModule(DevPackages.built("meg"), "stable");
        ExtenderFixture f = ExtenderFixture.install(work.resolve("x"), cloud, CUSTOMER, "machine-meg", false,
                Map.of("health.interval", "1h"));
        extender = f.start();
        assertTrue(extender.awaitConnected(T), extender.channelStatus().toString());
        cloud.addGatewayUser(CUSTOMER, GW_USER, GW_PASSWORD);
        cloud.enableMeg(CUSTOMER, allowList("localhost"));
        await("two tunnel connections", () -> cloud.megConnections(CUSTOMER) == 2);
    }

    @AfterAll
    static void down() {
        if (extender != null) {
            extender.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    /** localhost (and only its loopback addresses, named explicitly) on nginx's port; CONNECT to that port too. */
    private static Map<String, String> allowList(String hosts) {
        return allowList(hosts, "");
    }

    private static Map<String, String> allowList(String hosts, String morePorts) {
        Map<String, String> m = new TreeMap<>();
        m.put("allow.hosts", hosts);
        m.put("allow.cidrs", "127.0.0.1/32, ::1/128");
        m.put("allow.ports", nginx.port + morePorts);
        m.put("allow.schemes", "http");
        m.put("allow.connectPorts", Integer.toString(nginx.port));
        m.put("relay.pingInterval", "2s");
        m.put("relay.pingTimeout", "2s");
        m.put("relay.backoffInitial", "200ms");
        m.put("relay.backoffMax", "2s");
        return m;
    }

    private static String url(String path) {
        return "http://localhost:" + nginx.port + path;
    }

    @Test
    @Order(1)
    void staticPagesComeThroughTheTunnel() throws Exception {
        Curl c = curl(url("/index.html"));
        assertEquals(0, c.exit, c.toString());
        assertEquals(200, c.status, c.toString());
        assertEquals("<html><body>intranet home</body></html>\n", c.bodyText());
        assertTrue(c.headers.toLowerCase().contains("server: nginx"), c.headers);

        Curl missing = curl(url("/nothing-here"));
        assertEquals(404, missing.status, missing.toString());
        Curl head = curl("-I", url("/large.bin"));
        assertEquals(200, head.status, head.toString());
        assertTrue(head.headers.toLowerCase().contains("content-length: " + LARGE), head.headers);
    }

    @Test
    @Order(2)
    void aLargeDownloadArrivesByteForByte() throws Exception {
        Curl c = curl(url("/large.bin"));
        assertEquals(0, c.exit, c.toString());
        assertEquals(200, c.status);
        assertEquals(LARGE, Files.size(c.body));
        assertEquals(sha256(nginx.dir.resolve("www/large.bin")), sha256(c.body));
    }

    @Test
    @Order(3)
    void anUploadIsStreamedToTheTarget() throws Exception {
        Path upload = work.resolve("upload-src.bin");
        byte[] block = new byte[1 << 20];
        new java.util.Random(7).nextBytes(block);
        try (var out = Files.newOutputStream(upload)) {
            for (int i = 0; i < 24; i++) {
                out.write(block);
            }
        }
        Curl chunked = curl("-T", upload.toString(), "-H", "Transfer-Encoding: chunked", url("/upload/chunked.bin"));
        assertTrue(chunked.status == 201 || chunked.status == 204, chunked.toString());
        assertEquals(sha256(upload), sha256(nginx.dir.resolve("www/upload/chunked.bin")));
        Curl sized = curl("-T", upload.toString(), url("/upload/sized.bin"));
        assertTrue(sized.status == 201 || sized.status == 204, sized.toString());
        assertEquals(sha256(upload), sha256(nginx.dir.resolve("www/upload/sized.bin")));
    }

    @Test
    @Order(4)
    void redirectsAreReturnedNotFollowed() throws Exception {
        Curl c = curl(url("/redirect"));
        assertEquals(302, c.status, c.toString());
        assertTrue(c.headers.toLowerCase().contains("location: http://elsewhere.invalid/target"), c.headers);
    }

    @Test
    @Order(5)
    void basicAuthenticationPassesThroughUnchanged() throws Exception {
        Curl none = curl(url("/private/secret.txt"));
        assertEquals(401, none.status, none.toString());
        assertTrue(none.headers.toLowerCase().contains("www-authenticate: basic realm=\"private\""), none.headers);
        Curl wrong = curl("-u", NginxPeer.USER + ":wrong", url("/private/secret.txt"));
        assertEquals(401, wrong.status);
        Curl right = curl("-u", NginxPeer.USER + ":" + NginxPeer.PASSWORD, url("/private/secret.txt"));
        assertEquals(200, right.status, right.toString());
        assertEquals("only for alice\n", right.bodyText());
    }

    @Test
    @Order(6)
    void aByteStreamCarriesAnyProtocolToAnAllowedPort() throws Exception {
        // curl -p: CONNECT through the gateway, then HTTP inside the byte stream.
        Curl c = curl("-p", url("/index.html"));
        assertEquals(0, c.exit, c.toString());
        assertEquals(200, c.status, c.toString());
        assertEquals("<html><body>intranet home</body></html>\n", c.bodyText());
    }

    @Test
    @Order(7)
    void theAllowListRefusesEverySsrfSpelling() throws Exception {
        String p = ":" + nginx.port;
        Object[][] cases = {
                {"http://169.254.169.254/latest/meta-data/", "port"},
                {"http://127.0.0.2" + p + "/", "loopback"},
                {"http://2130706434" + p + "/", "loopback"},
                {"http://0x7f.2" + p + "/", "loopback"},
                {"http://0177.0.0.2" + p + "/", "loopback"},
                {"http://127.2" + p + "/", "loopback"},
                {"http://[::ffff:127.0.0.2]" + p + "/", "loopback"},
                {"http://169.254.169.254" + p + "/", "metadata"},
                {"http://[fd00:ec2::254]" + p + "/", "metadata"},
                {"http://0.0.0.0" + p + "/", "unspecified"},
                {"http://[fe80::1]" + p + "/", "link-local"},
                {"http://192.0.2.1" + p + "/", "not-listed"},
                {"http://localhost:22/", "port"},
        };
        for (Object[] k : cases) {
            Curl c = curl((String) k[0]);
            assertEquals(403, c.status, k[0] + ": " + c);
            assertTrue(c.headers.toLowerCase().contains("meg-error: refused-by-allowlist"), k[0] + ": " + c.headers);
            assertTrue(c.headers.toLowerCase().contains("meg-reason: " + k[1]), k[0] + ": " + c.headers);
        }
        // CONNECT to a port the list does not name for byte streams.
        Curl c = curl("-p", "http://localhost:22/");
        assertNotEquals(0, c.exit, c.toString());
        assertTrue(c.stderr.contains("403"), c.stderr);
        // A name that does not resolve: a typed failure, not a refusal (names outside the host entries are
        // resolved when the list has ranges, to see whether their addresses are in one).
        Curl unresolved = curl("http://nowhere.invalid" + p + "/");
        assertEquals(502, unresolved.status, unresolved.toString());
        assertTrue(unresolved.headers.toLowerCase().contains("meg-error: unreachable"), unresolved.headers);
        // The refusals are in the access log the status action counts.
        CommandOutcome status = send(extender, "meg", "status", "{}");
        assertTrue(status.isOk(), status.toString());
        assertTrue(status.payload().contains("\"connectionsUp\":2"), status.payload());
    }

    @Test
    @Order(8)
    void aTunnelKilledMidDownloadGivesACleanErrorAndTheTunnelComesBack() throws Exception {
        current = null;
        CompletableFuture<Curl> slow = CompletableFuture.supplyAsync(() -> curlUnchecked("--limit-rate", "4M",
                url("/large.bin")));
        await("the download to start", () -> bytesSoFar() > (1 << 20));
        cloud.dropMegConnections(CUSTOMER);
        Curl c = slow.get(60, TimeUnit.SECONDS);
        assertNotEquals(0, c.exit, "curl must see the cut: " + c);
        assertTrue(Files.size(c.body) < LARGE, c.toString());
        await("the tunnel to come back", () -> cloud.megConnections(CUSTOMER) == 2);
        Curl after = curl(url("/index.html"));
        assertEquals(200, after.status, after.toString());
    }

    @Test
    @Order(9)
    void allowListChangesApplyWithoutDroppingStreamsTheyStillAllow() throws Exception {
        current = null;
        CompletableFuture<Curl> kept = CompletableFuture.supplyAsync(() -> curlUnchecked("--limit-rate", "16M",
                url("/large.bin")));
        await("the download to start", () -> bytesSoFar() > (1 << 20));
        // Port 1 added: localhost:1 goes from refused (403) to tried and unreachable (502, nothing listens).
        assertEquals(403, curl0("http://localhost:1/"));
        cloud.enableMeg(CUSTOMER, allowList("localhost", ",1"));
        await("the changed list", () -> curl0("http://localhost:1/") == 502);
        Curl c = kept.get(60, TimeUnit.SECONDS);
        assertEquals(0, c.exit, "a stream the new list allows goes on: " + c);
        assertEquals(LARGE, Files.size(c.body));
        assertEquals(2, cloud.megConnections(CUSTOMER), "no reconnect: the module was not restarted");

        // A list that no longer allows the target ends its running stream, and refuses new ones.
        current = null;
        CompletableFuture<Curl> cut = CompletableFuture.supplyAsync(() -> curlUnchecked("--limit-rate", "4M",
                url("/large.bin")));
        await("the download to start", () -> bytesSoFar() > (1 << 20));
        Map<String, String> without = allowList("other.invalid");
        without.put("allow.cidrs", "");
        cloud.enableMeg(CUSTOMER, without);
        Curl ended = cut.get(60, TimeUnit.SECONDS);
        assertNotEquals(0, ended.exit, ended.toString());
        Curl refused = curl(url("/index.html"));
        assertEquals(403, refused.status, refused.toString());
    }

    // ---- curl

    private static volatile Path current;

    private static long bytesSoFar() {
        Path p = current;
        try {
            return p == null || !Files.exists(p) ? 0 : Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private record Curl(int exit, int status, String headers, Path body, String stderr) {
        String bodyText() throws IOException {
            return Files.readString(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "curl exit " + exit + ", status " + status + ", stderr " + stderr.trim() + ", headers " + headers;
        }
    }

    private static int curl0(String url) {
        return curlUnchecked(url).status;
    }

    private static Curl curlUnchecked(String... args) {
        try {
            return curl(args);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Curl curl(String... args) throws IOException, InterruptedException {
        int n = SEQ.incrementAndGet();
        Path body = work.resolve("body-" + n);
        Path headers = work.resolve("headers-" + n);
        Path err = work.resolve("stderr-" + n);
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "-D", headers.toString(), "-o",
                body.toString(), "-w", "%{http_code}", "-x", "http://" + GW_USER + ":" + GW_PASSWORD + "@127.0.0.1:"
                        + cloud.megGatewayPort()));
        cmd.addAll(List.of(args));
        current = body;
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = p.waitFor();
        if (!Files.exists(body)) {
            Files.createFile(body);
        }
        String h = Files.exists(headers) ? Files.readString(headers, StandardCharsets.ISO_8859_1) : "";
        // With -p, the CONNECT answer comes first: the status is the last response's.
        int status = out.matches("[0-9]{3}") ? Integer.parseInt(out) : 0;
        return new Curl(exit, status, h, body, Files.readString(err));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
