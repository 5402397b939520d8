package com.cloudextender.modules.scep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrols against a real SCEP CA, micromdm's scepserver (Debian package {@code scep}), started on an
 * unusual port by {@code scripts/peers/scep} and used through 127.0.0.1 only. Skipped only when the
 * {@code scepserver} binary is missing; {@code scripts/test} installs it.
 */
class ScepServerIT {
    private static final String CHALLENGE = "it-Chall3nge-" + Long.toHexString(System.nanoTime());
    private static final Path SCRIPT = Path.of("../../scripts/peers/scep").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    private static String url;

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(onPath("scepserver"), "scepserver is not installed (Debian package scep); run "
                + "scripts/peers/scep install, or scripts/test which installs it");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        url = run(SCRIPT.toString(), "start", dir.resolve("ca").toString(), Integer.toString(port), CHALLENGE).trim();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (url != null) {
            run(SCRIPT.toString(), "stop", dir.resolve("ca").toString());
            // Kept for reading after a failure; the server logs no challenge.
            Files.copy(dir.resolve("ca/scepserver.log"), Path.of("target/scepserver-it.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The SHA-256 fingerprint of the CA certificate scepserver created in its depot. */
    private static String caFingerprint() throws Exception {
        try (var in = Files.newInputStream(dir.resolve("ca/depot/ca.pem"))) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(ca.getEncoded()));
        }
    }

    private static boolean onPath(String binary) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, binary))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private ScepModule start(String challenge, Path state) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "wifi");
        c.put("profile.wifi.url", url);
        // scepserver speaks plain HTTP, so the CA it created is pinned by its certificate's fingerprint.
        c.put("profile.wifi.caFingerprint", caFingerprint());
        c.put("profile.wifi.challenge", challenge);
        c.put("profile.wifi.subjectPattern", "CN=[a-z0-9-]+(,O=Example)?");
        c.put("profile.wifi.pollInterval", "200ms");
        c.put("profile.wifi.pollTimeout", "5s");
        ScepModule m = new ScepModule();
        m.start(new FakeModuleContext("scep", new ModuleConfig(c, Set.of("profile.wifi.challenge")),
                state));
        return m;
    }

    private static CommandResult call(ScepModule m, String action, ObjectNode args) throws Exception {
        try {
            return m.actions().get(action).execute(new Command("it", "scep", action, Json.text(args),
                    Duration.ofMinutes(1)));
        } catch (CommandException e) {
            return CommandResult.error(e.code(), e.getMessage());
        }
    }

    @Test
    void generatesAKeyAndEnrolsWithTheRealCa(@TempDir Path state) throws Exception {
        ScepModule m = start(CHALLENGE, state);
        try {
            CommandResult r = call(m, "generateAndRequest", Json.object().put("profile", "wifi")
                    .put("subject", "CN=it-device-1,O=Example").put("p12Password", "it-p12-password"));
            assertTrue(r.isOk(), r.payload());
            JsonNode j = Json.MAPPER.readTree(r.payload());
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(j.path("certificate").asText())));
            assertTrue(cert.getSubjectX500Principal().getName().contains("CN=it-device-1"), cert.toString());
            assertTrue(j.path("chain").size() >= 1, "the CA certificate completes the chain: " + j);
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(new ByteArrayInputStream(Base64.getDecoder().decode(j.path("pkcs12").asText())),
                    "it-p12-password".toCharArray());
            assertEquals(cert, p12.getCertificate(p12.aliases().nextElement()));

            JsonNode d = Json.MAPPER.readTree(call(m, "diagnose", Json.object().put("profile", "wifi")).payload());
            assertTrue(d.path("ca").path("capabilities").toString().contains("Renewal"), d.toString());
            assertTrue(d.path("ca").path("renewal").asBoolean());
        } finally {
            m.stop();
        }
    }

    @Test
    void aWrongChallengeIsRefusedAsBadRequest(@TempDir Path state) throws Exception {
        ScepModule m = start("not-the-challenge", state);
        try {
            CommandResult r = call(m, "generateAndRequest", Json.object().put("profile", "wifi")
                    .put("subject", "CN=it-device-2").put("p12Password", "it-p12-password"));
            assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode(), r.payload());
            assertTrue(r.payload().contains("failInfo badRequest"), r.payload());
        } finally {
            m.stop();
        }
    }
}
