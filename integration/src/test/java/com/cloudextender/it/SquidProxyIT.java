package com.cloudextender.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.Extender;
import com.cloudextender.core.StartupException;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * A real Squid with Basic authentication ({@code scripts/peers/squid}) between the extender and a dev
 * cloud: configured explicitly and through a PAC file, registration, the channel and a module download
 * all go through it, which its access log shows; a wrong password stops the start with the proxy's
 * answer. Run as root, a Squid that cannot be installed fails the test; otherwise it is skipped.
 */
class SquidProxyIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String USER = "cx-proxy";
    private static final String PASSWORD = "Squ1d-Pw!";

    private static Path script;
    private static Path serverDir;
    private static Path accessLog;
    private static int port;
    private static DevCloud cloud;
    private static Path example;

    @TempDir
    static Path shared;
    @TempDir
    Path home;

    @BeforeAll
    static void up() throws Exception {
        Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = moduleDir;
        while (root != null && !Files.isExecutable(root.resolve("scripts/peers/squid"))) {
            root = root.getParent();
        }
        if (root == null) {
            fail("scripts/peers/squid not found above " + moduleDir);
        }
        script = root.resolve("scripts/peers/squid");
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        String install = run(Duration.ofMinutes(10), "install");
        if (install != null) {
            if (isRoot) {
                fail("Squid, which this test needs, cannot be installed: " + install);
            }
            Assumptions.abort("Squid cannot be installed without root: " + install);
        }
        // Under target/, not /tmp: squid drops to the proxy user, which must reach the folder.
        serverDir = moduleDir.resolve("target/squid-it/server");
        Files.createDirectories(serverDir.getParent());
        run(Duration.ofSeconds(20), "stop", serverDir.toString()); // left over from an interrupted run
        String started = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            started = run(Duration.ofSeconds(30), "start", serverDir.toString(), Integer.toString(port), USER,
                    PASSWORD);
            if (started == null) {
                break;
            }
        }
        assertEquals(null, started, "squid start");
        accessLog = serverDir.resolve("log/access.log");
        cloud = DevCloud.start(DevCloudOptions.ephemeral(shared.resolve("cloud")));
        example = DevPackages.built("example");
        cloud.publishModule(example, "stable");
    }

    @AfterAll
    static void down() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        if (serverDir != null) {
            run(Duration.ofSeconds(20), "stop", serverDir.toString());
        }
    }

    @Test
    void explicitProxyCarriesRegistrationChannelAndModuleDownload() throws Exception {
        Map<String, String> proxy = Map.of("proxy.host", "127.0.0.1", "proxy.port", Integer.toString(port),
                "proxy.username", USER, "proxy.password", PASSWORD, "proxy.authSchemes", "basic");
        throughSquid("explicit-co", "machine-sq1", proxy, "proxy.host says PROXY 127.0.0.1:" + port);
    }

    @Test
    void pacFileCarriesRegistrationChannelAndModuleDownload() throws Exception {
        Path pac = home.resolve("proxy.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) {\n"
                + "  if (host == \"localhost\") return \"PROXY 127.0.0.1:" + port + "; DIRECT\";\n"
                + "  return \"DIRECT\";\n}\n");
        // A proxy that a PAC file names gets the credentials only when it is listed.
        Map<String, String> proxy = Map.of("proxy.mode", "auto", "proxy.pacUrl", pac.toUri().toString(),
                "proxy.username", USER, "proxy.password", PASSWORD, "proxy.credentialsFor", "127.0.0.1:" + port,
                "proxy.authSchemes", "basic");
        throughSquid("pac-co", "machine-sq2", proxy, "PAC file " + pac.toUri() + " says PROXY 127.0.0.1:" + port);
    }

    @Test
    void theMegTunnelGoesThroughTheProxyAsTheExtendersOwnConnectionsDo() throws Exception {
        cloud.publishModule(DevPackages.built("meg"), "stable");
        long before = Files.size(accessLog);
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "meg-proxy-co", "machine-sq4", false,
                // The extender opens the module's tunnels (OutboundProxies.tunnels()); SquidDomainProxyIT shows
                // the same through an NTLM-only proxy.
                Map.of("proxy.host", "127.0.0.1", "proxy.port", Integer.toString(port), "proxy.username", USER,
                        "proxy.password", PASSWORD, "proxy.authSchemes", "basic"));
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            cloud.enableMeg("meg-proxy-co", Map.of("allow.hosts", "intranet.invalid", "relay.connections", "2"));
            await("two MEG tunnel connections through squid", () -> cloud.megConnections("meg-proxy-co") == 2);
        }
        String relay = "localhost:" + cloud.megRelayPort();
        long end = System.nanoTime() + T.toNanos();
        List<String> tunnels;
        do {
            String text = Files.readString(accessLog);
            tunnels = text.substring((int) Math.min(before, text.length())).lines()
                    .filter(l -> l.contains("TCP_TUNNEL/200") && l.contains(" CONNECT " + relay + " ")
                            && l.contains(" " + USER + " ")).toList();
            Thread.sleep(100);
        } while (tunnels.size() < 2 && System.nanoTime() < end);
        assertEquals(2, tunnels.size(), "both tunnel connections went through squid as " + USER + ": " + tunnels);
    }

    @Test
    void wrongPasswordIsAClearStartupError() throws Exception {
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "wrong-co", "machine-sq3", false,
                Map.of("proxy.host", "127.0.0.1", "proxy.port", Integer.toString(port), "proxy.username", USER,
                        "proxy.password", "not-the-password", "proxy.authSchemes", "basic"));
        StartupException e = assertThrows(StartupException.class, f::start);
        assertTrue(e.getMessage().contains("407"), e.getMessage());
        assertTrue(e.getMessage().contains("proxy.password"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), "no secret in the message: " + e.getMessage());
    }

    private void throughSquid(String customer, String machine, Map<String, String> proxy, String expectedProxy)
            throws Exception {
        long before = Files.size(accessLog);
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, customer, machine, false, proxy);
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            String status = String.valueOf(x.statusReport().get("proxy"));
            assertTrue(status.startsWith(expectedProxy), status);
            cloud.enableFeature(customer, "example", Map.of("greeting", "hallo", "apiKey", "Ex4mpleK3y!"));
            await("the example module to be active", () -> x.modules().activeVersion("example").isPresent());
            CommandOutcome echo = cloud.sendToExtender(x.extenderId(), "example", "echo", "{\"text\":\"via squid\"}",
                    Duration.ofSeconds(20)).get(40, TimeUnit.SECONDS);
            assertTrue(echo.isOk(), echo.toString());
        }
        // Squid writes a CONNECT line when the tunnel closes: after the extender has stopped.
        String api = "localhost:" + cloud.apiUrl().getPort();
        String xmpp = "localhost:" + cloud.directTlsPort();
        List<String> lines = awaitLines(before, api, xmpp);
        long apiBytes = lines.stream().filter(l -> l.contains(" CONNECT " + api + " ") && l.contains(" " + USER + " "))
                .mapToLong(SquidProxyIT::bytes).sum();
        assertTrue(lines.stream().anyMatch(l -> l.contains("TCP_TUNNEL/200") && l.contains(" CONNECT " + xmpp + " ")
                && l.contains(" " + USER + " ")), "the channel went through squid as " + USER + ": " + lines);
        // Registration and the module download both use the API host; the package alone is this large.
        assertTrue(apiBytes > Files.size(example), "registration and the module download (" + Files.size(example)
                + " bytes) went through squid: " + apiBytes + " bytes; " + lines);
    }

    private static List<String> awaitLines(long from, String api, String xmpp) throws Exception {
        long end = System.nanoTime() + T.toNanos();
        while (true) {
            String text = Files.readString(accessLog);
            List<String> lines = text.substring((int) Math.min(from, text.length())).lines().toList();
            // A 407 line comes first and is written at once; a tunnel's line only when it closes. Wait for
            // tunnels to both, and for the API tunnels to have carried the package (registration and the
            // download may use separate connections, closed at different times).
            long apiTunnelled = lines.stream().filter(l -> l.contains("TCP_TUNNEL") && l.contains(" CONNECT " + api + " "))
                    .mapToLong(SquidProxyIT::bytes).sum();
            boolean both = apiTunnelled > Files.size(example)
                    && lines.stream().anyMatch(l -> l.contains("TCP_TUNNEL") && l.contains(" CONNECT " + xmpp + " "));
            if (both || System.nanoTime() > end) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    /** The size field of a native squid access-log line (the fifth). */
    private static long bytes(String line) {
        String[] f = line.trim().split("\\s+");
        return f.length > 4 ? Long.parseLong(f[4]) : 0;
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + T.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Runs scripts/peers/squid; null when it succeeded, else its output. */
    private static String run(Duration timeout, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("squid-peer-", ".out");
        try {
            List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "scripts/peers/squid " + args[0] + " did not finish within " + timeout.toSeconds() + " s";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
