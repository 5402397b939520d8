package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;

/**
 * MEG against intranet behaviours that need a server of the test's own making, through the dev cloud's
 * gateway → relay → the extender's {@code meg} module: a connection-bound NTLM-style handshake (target
 * connection affinity), {@code Expect: 100-continue} (the body waits for the target's answer), a
 * WebSocket over a byte stream, an {@code https} target verified against a private CA, and (last) the
 * extender's threads, heap and target connections after the tunnel is cut under open streams.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MegIntranetIT extends DevCloudTestBase {
    private static final String CUSTOMER = "meg-intranet";
    private static final String GW_USER = "carol";
    private static final String GW_PASSWORD = "gateway-pass-2";

    private static NtlmStyleServer ntlm;
    private static ExpectContinueServer expect;
    private static WebSocketEchoServer echo;
    private static TlsPageServer tls;
    private static Extender extender;

    @BeforeAll
    static void up() throws Exception {
        Path work = Files.createDirectories(shared.resolve("meg-intranet"));
        ntlm = new NtlmStyleServer();
        expect = new ExpectContinueServer();
        echo = new WebSocketEchoServer();
        tls = new TlsPageServer(work);
        cloud.publishModule(DevPackages.built("meg"), "stable");
        ExtenderFixture f = ExtenderFixture.install(work.resolve("x"), cloud, CUSTOMER, "machine-meg-intranet", false,
                Map.of("health.interval", "1h"));
        extender = f.start();
        assertTrue(extender.awaitConnected(T), extender.channelStatus().toString());
        cloud.addGatewayUser(CUSTOMER, GW_USER, GW_PASSWORD);
        Map<String, String> m = new TreeMap<>();
        m.put("allow.hosts", "localhost");
        m.put("allow.cidrs", "127.0.0.1/32, ::1/128");
        m.put("allow.ports", ntlm.port() + "," + expect.port() + "," + tls.port() + "," + echo.port());
        m.put("allow.schemes", "http,https");
        m.put("allow.connectPorts", Integer.toString(echo.port()));
        m.put("target.trustStore", tls.caPem().toString());
        cloud.enableMeg(CUSTOMER, m);
        await("two tunnel connections", () -> cloud.megConnections(CUSTOMER) == 2);
    }

    @AfterAll
    static void down() throws Exception {
        if (extender != null) {
            extender.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {ntlm, expect, echo, tls}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static GatewayClient client() throws IOException {
        return new GatewayClient(cloud.megGatewayPort(), GW_USER, GW_PASSWORD);
    }

    // ---- NTLM: connection affinity

    /**
     * Without target connection affinity each stream gets its own target connection: the type-3
     * message then reaches a connection that never got the challenge, and the site answers 401.
     */
    @Test
    void anNtlmHandshakeKeepsItsTargetConnectionForTheClientConnection() throws Exception {
        String url = "http://127.0.0.1:" + ntlm.port() + "/intranet/";
        int before = ntlm.connections();
        try (GatewayClient c = client()) {
            GatewayClient.Response challenge = c.get(url, "Authorization: NTLM " + NtlmStyleServer.TYPE1);
            assertEquals(401, challenge.status(), challenge.toString());
            assertEquals("NTLM " + NtlmStyleServer.CHALLENGE, challenge.header("www-authenticate"));
            GatewayClient.Response done = c.get(url, "Authorization: NTLM " + NtlmStyleServer.TYPE3);
            assertEquals(200, done.status(), done.text());
            assertEquals("welcome, authenticated connection\n", done.text());
            GatewayClient.Response next = c.get(url + "next");
            assertEquals(200, next.status(), next.text());
            assertEquals("still authenticated: /intranet/next\n", next.text());
        }
        assertEquals(1, ntlm.connections() - before, "the whole handshake and the request after it used one connection");

        // Another client connection never gets that authenticated target connection.
        try (GatewayClient other = client()) {
            assertEquals(401, other.get(url + "next").status());
            assertEquals(401, other.get(url, "Authorization: NTLM " + NtlmStyleServer.TYPE3).status(),
                    "a type-3 message on a connection that got no challenge is refused");
        }
    }

    /**
     * A kept connection that the target closes as the next request goes out on it: the extender dials
     * a fresh one and sends the request again (without that, the user gets 502 target-closed).
     */
    @Test
    void aKeptConnectionClosedByTheTargetIsReplacedForABodylessRequest() throws Exception {
        String url = "http://127.0.0.1:" + ntlm.port() + "/race";
        int before = ntlm.connections();
        try (GatewayClient c = client()) {
            assertEquals("first on this connection\n", c.get(url).text());
            GatewayClient.Response again = c.get(url);
            assertEquals(200, again.status(), again.text());
            assertEquals("first on this connection\n", again.text());
        }
        assertEquals(2, ntlm.connections() - before, "the second request went out on a kept connection, then a new one");
    }

    // ---- Expect: 100-continue

    /** Without the wait, the body (sent at once by this client) reaches the target before its 100. */
    @Test
    void aBodyWaitsForTheTargetsContinue() throws Exception {
        byte[] body = new byte[100_000];
        new Random(3).nextBytes(body);
        try (GatewayClient c = client()) {
            c.sendHead("PUT", "http://127.0.0.1:" + expect.port() + "/continue", "Expect: 100-continue",
                    "Content-Length: " + body.length);
            c.sendBytes(body); // at once, like a client whose own wait ran out: the extender still holds it
            GatewayClient.Response interim = c.read(false);
            assertEquals(100, interim.status());
            GatewayClient.Response last = c.read(false);
            assertEquals(200, last.status(), last.text());
            assertEquals("received 100000 bytes\n", last.text());
        }
        assertEquals(Boolean.FALSE, expect.bodyEarly.get("/continue"), "no body byte before the target's 100");
    }

    /** Without the wait, the body follows the head at once and the target reads it after its 417 / 401. */
    @Test
    void aFinalStatusBeforeTheBodyMeansTheBodyIsNeverSent() throws Exception {
        Object[][] cases = {{"/reject", 417}, {"/login", 401}};
        for (Object[] k : cases) {
            String path = (String) k[0];
            try (GatewayClient c = client()) {
                c.sendHead("POST", "http://127.0.0.1:" + expect.port() + path, "Expect: 100-continue",
                        "Content-Length: 5000");
                c.sendBytes(new byte[5000]);
                GatewayClient.Response r = c.read(false);
                assertEquals(k[1], r.status(), path);
            }
            await("the target's verdict on " + path, () -> expect.bodySeenAfterFinal.containsKey(path));
            assertFalse(expect.bodySeenAfterFinal.get(path), path + ": the body was not sent after the final status");
        }
    }

    /** A target that never says 100 gets the body after the one-second wait (as curl does). */
    @Test
    void aSilentTargetGetsTheBodyAfterTheWait() throws Exception {
        try (GatewayClient c = client()) {
            long t0 = System.nanoTime();
            c.sendHead("PUT", "http://127.0.0.1:" + expect.port() + "/silent", "Expect: 100-continue",
                    "Content-Length: 10");
            c.sendBytes("0123456789".getBytes(StandardCharsets.US_ASCII));
            GatewayClient.Response r = c.read(false);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, r.status(), r.text());
            assertEquals("received 10 bytes without 100\n", r.text());
            assertTrue(ms >= 900, "the body waited about a second for a 100, not " + ms + " ms");
        }
    }

    // ---- WebSocket over a byte stream

    @Test
    void aWebSocketEchoesThroughAByteStream() throws Exception {
        try (GatewayClient c = client()) {
            String target = "127.0.0.1:" + echo.port();
            c.sendHead("CONNECT", target);
            assertEquals(200, c.read(true).status());
            String key = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.US_ASCII));
            c.sendBytes(("GET /echo HTTP/1.1\r\nHost: " + target + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            GatewayClient.Response upgraded = c.read(true);
            assertEquals(101, upgraded.status());
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            assertEquals(accept, upgraded.header("sec-websocket-accept"));

            writeFrame(c.out(), 0x1, "hello through the tunnel".getBytes(StandardCharsets.UTF_8));
            Frame text = readFrame(c.in());
            assertEquals(0x1, text.opcode());
            assertEquals("hello through the tunnel", new String(text.payload(), StandardCharsets.UTF_8));

            byte[] big = new byte[40_000];
            new Random(5).nextBytes(big);
            writeFrame(c.out(), 0x2, big);
            Frame binary = readFrame(c.in());
            assertEquals(0x2, binary.opcode());
            assertArrayEquals(big, binary.payload());

            writeFrame(c.out(), 0x8, new byte[] {0x03, (byte) 0xE8});
            assertEquals(0x8, readFrame(c.in()).opcode(), "the server's close frame comes back");
        }
    }

    /** A plain GET with Upgrade: websocket: the extender relays the target's 101 and turns the stream into bytes. */
    @Test
    void aWebSocketUpgradesAPlainRequest() throws Exception {
        try (GatewayClient c = client()) {
            String key = Base64.getEncoder().encodeToString("another 16 bytes".getBytes(StandardCharsets.US_ASCII));
            c.sendHead("GET", "http://127.0.0.1:" + echo.port() + "/echo", "Upgrade: websocket",
                    "Connection: Upgrade", "Sec-WebSocket-Key: " + key, "Sec-WebSocket-Version: 13");
            GatewayClient.Response upgraded = c.read(true);
            assertEquals(101, upgraded.status(), upgraded.headers().toString());
            assertEquals("websocket", upgraded.header("upgrade").toLowerCase(java.util.Locale.ROOT));
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            assertEquals(accept, upgraded.header("sec-websocket-accept"));
            writeFrame(c.out(), 0x1, "upgraded in place".getBytes(StandardCharsets.UTF_8));
            assertEquals("upgraded in place", new String(readFrame(c.in()).payload(), StandardCharsets.UTF_8));
            byte[] big = new byte[30_000];
            new Random(9).nextBytes(big);
            writeFrame(c.out(), 0x2, big);
            assertArrayEquals(big, readFrame(c.in()).payload());
            writeFrame(c.out(), 0x8, new byte[] {0x03, (byte) 0xE8});
            assertEquals(0x8, readFrame(c.in()).opcode());
        }
    }

    private record Frame(int opcode, byte[] payload) {
    }

    /** A client frame (FIN, masked, RFC 6455 5.2). */
    private static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xFF);
        } else {
            throw new IllegalArgumentException("frames above 64 KiB are not needed here");
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        f.write(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** A server frame (unmasked), a length up to 64 KiB. */
    private static Frame readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("the byte stream ended before a frame");
        }
        int len = b1 & 0x7F;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            throw new IOException("unexpected 64-bit frame length");
        }
        return new Frame(b0 & 0x0F, in.readNBytes(len));
    }

    // ---- https targets

    @Test
    void anHttpsTargetIsVerifiedAgainstThePrivateCa() throws Exception {
        try (GatewayClient c = client()) {
            GatewayClient.Response r = c.get("https://localhost:" + tls.port() + "/page");
            assertEquals(200, r.status(), r.text());
            assertEquals(TlsPageServer.PAGE, r.text());
        }
        // The certificate names localhost only: by address, the host name does not match.
        try (GatewayClient c = client()) {
            GatewayClient.Response r = c.get("https://127.0.0.1:" + tls.port() + "/page");
            assertEquals(502, r.status(), r.text());
            assertEquals("tls", r.header("meg-error"), r.headers().toString());
        }
    }

    // ---- a tunnel cut leaves nothing behind

    /**
     * 16 WebSocket byte streams open and talking, then every tunnel connection is cut: each user
     * connection ends, every target connection the extender opened for them is closed, the tunnel comes
     * back, and the module's threads and the heap return to their level. (The extender runs in this JVM;
     * the heap figure includes the dev cloud and the test, so the bound is loose; Netty's direct buffers
     * are not visible here.)
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aTunnelCutLeavesNoThreadsConnectionsOrMemoryBehind() throws Exception {
        String target = "127.0.0.1:" + echo.port();
        try (GatewayClient warm = openWebSocket(target)) {
            echoOnce(warm, 1000);
        }
        await("the warm-up target connection closed", () -> echo.openConnections() == 0);
        int megThreadsBefore = megThreads();
        long heapBefore = heapAfterGc();

        List<GatewayClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                GatewayClient c = openWebSocket(target);
                clients.add(c);
                echoOnce(c, 20_000);
            }
            assertEquals(16, echo.openConnections());
            cloud.dropMegConnections(CUSTOMER);
            for (GatewayClient c : clients) {
                assertEquals(-1, c.in().read(), "the user connection ends with the tunnel");
            }
        } finally {
            for (GatewayClient c : clients) {
                c.close();
            }
        }
        await("every target connection closed", () -> echo.openConnections() == 0);
        await("the tunnel back", () -> cloud.megConnections(CUSTOMER) == 2);
        try (GatewayClient again = openWebSocket(target)) {
            echoOnce(again, 1000);
        }
        await("the module's threads back to their level", () -> megThreads() <= megThreadsBefore);
        assertTrue(resolverThreads() <= 4, "resolver threads: " + resolverThreads());
        long heapAfter = heapAfterGc();
        System.out.printf("MEG cut: meg-* threads %d -> %d, heap used after GC %d KiB -> %d KiB%n", megThreadsBefore,
                megThreads(), heapBefore >> 10, heapAfter >> 10);
        assertTrue(heapAfter - heapBefore < (32L << 20), "heap grew by " + ((heapAfter - heapBefore) >> 10) + " KiB");
    }

    private static GatewayClient openWebSocket(String target) throws Exception {
        GatewayClient c = client();
        c.sendHead("CONNECT", target);
        assertEquals(200, c.read(true).status());
        c.sendBytes(("GET /echo HTTP/1.1\r\nHost: " + target + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(101, c.read(true).status());
        return c;
    }

    private static void echoOnce(GatewayClient c, int size) throws IOException {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        writeFrame(c.out(), 0x2, b);
        assertArrayEquals(b, readFrame(c.in()).payload());
    }

    /**
     * Live threads of the meg module other than its name resolvers (its event loops and connector
     * threads are named meg-*); the resolvers are a pool of at most 4 that shrinks after 30 s idle.
     */
    private static int megThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("meg-") && !t.getName().startsWith("meg-resolve")).count();
    }

    private static int resolverThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("meg-resolve")).count();
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return r.totalMemory() - r.freeMemory();
    }
}
