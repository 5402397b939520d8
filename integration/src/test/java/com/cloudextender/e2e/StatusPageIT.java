package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;

/**
 * The status page of an extender connected to the dev cloud, as an administrator sees it: loaded by a
 * real headless Chromium (its DOM and a screenshot, kept in target/status-page.png), and as a monitoring
 * system sees it: /ready, /metrics and the password, over HTTP.
 *
 * <p>Chromium comes from {@code scripts/peers/chromium install}. When it is missing the test installs it
 * if it runs as root, and fails if that is impossible; otherwise it is skipped with a message.
 */
class StatusPageIT extends DevCloudTestBase {
    private static final String PASSWORD = "St4tus-Pw";
    private static final long CHROMIUM_SECONDS = 90;

    @Test
    void anAdministratorSeesTheConnectedExtenderItsModulesAndCommandsInABrowser() throws Exception {
        Path chromium = chromium();
        int port = freePort();
        cloud.publishModule(DevPackages.built("example"), "stable");
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "status-co", "machine-s", false,
                Map.of("status.port", Integer.toString(port), "status.password", PASSWORD, "health.interval", "1h"));
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            assertFalse(Files.readString(f.config()).contains(PASSWORD), "the password is sealed in the file");
            cloud.enableFeature("status-co", "example", Map.of("greeting", "hello", "apiKey", "Ex4mpleK3y!"));
            await("the example module to be active", () -> x.modules().activeVersion("example").isPresent());
            assertTrue(send(x, "core", "ping", "{}").isOk());
            assertTrue(send(x, "example", "echo", "{\"text\":\"for the page\"}").isOk());

            String base = "http://127.0.0.1:" + port;
            monitoringView(base, x);

            String url = "http://admin:" + PASSWORD + "@127.0.0.1:" + port + "/";
            Path profile = Files.createDirectories(home.resolve("chromium-profile"));
            String dom = runChromium(chromium, profile, "--dump-dom", url);
            assertTrue(dom.contains("<span id=\"extender-id\">" + x.extenderId() + "</span>"), dom);
            assertTrue(dom.contains("class=\"state ok\">CONNECTED</span>"), dom);
            assertTrue(dom.contains("<td>example</td><td>" + x.modules().activeVersion("example").orElseThrow()
                    + "</td><td>active</td>"), dom);
            assertTrue(dom.contains("<td>core</td>") && dom.contains("<td>modules</td>"), "built-in modules: " + dom);
            assertTrue(dom.contains("Extender " + x.extenderId()), "the start appears in the recent log: " + dom);
            assertFalse(dom.contains(PASSWORD) || dom.contains("Ex4mpleK3y!"), "no secret on the page");

            Path png = Path.of("target/status-page.png").toAbsolutePath();
            Files.createDirectories(png.getParent());
            Files.deleteIfExists(png);
            runChromium(chromium, profile, "--screenshot=" + png, "--window-size=1280,900", url);
            byte[] image = Files.readAllBytes(png);
            assertTrue(image.length > 20_000, "a screenshot with content, not a blank page: " + image.length + " bytes");
            assertEquals("PNG", new String(image, 1, 3, StandardCharsets.US_ASCII));
        }
    }

    /** What a load balancer and Prometheus see; the password is required everywhere but /ready. */
    private static void monitoringView(String base, Extender x) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        String m = metrics.body();
        assertTrue(m.contains("cloudextender_channel_connected 1\n"), m);
        assertTrue(m.contains("cloudextender_module_info{id=\"example\",version=\""
                + x.modules().activeVersion("example").orElseThrow() + "\",state=\"active\"} 1\n"), m);
        assertTrue(m.matches("(?s).*cloudextender_commands_succeeded_total [1-9]\\d*\n.*"), m);
        assertTrue(m.contains("cloudextender_command_duration_seconds_bucket{le=\"+Inf\"}"), m);
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(base + "/status.json"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(json.body().contains("\"extenderId\" : \"" + x.extenderId() + "\""), json.body());
    }

    private static String runChromium(Path chromium, Path profile, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(CHROMIUM_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish within " + CHROMIUM_SECONDS + " s: " + tail(err));
        }
        assertEquals(0, p.exitValue(), "Chromium failed: " + tail(err));
        return Files.readString(out);
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file);
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    /** Chromium on the PATH, installed first when running as root; skipped when neither is possible. */
    private static Path chromium() throws Exception {
        Path found = onPath("chromium");
        if (found != null) {
            return found;
        }
        if (!isRoot()) {
            Assumptions.abort("Chromium is not installed and installing it needs root: run "
                    + "scripts/peers/chromium install, then this test again");
        }
        Path script = DevPackages.root().resolve("scripts/peers/chromium");
        Process p = new ProcessBuilder(script.toString(), "install").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0 || (found = onPath("chromium")) == null) {
            fail("Chromium, which this test needs, cannot be installed (" + script + " install): " + output);
        }
        return found;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static boolean isRoot() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return uid.equals("0");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
