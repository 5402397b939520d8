package com.cloudextender.modules.scep.challenge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.scep.ScepModule;
import com.cloudextender.modules.scep.keys.CsrBuilder;
import com.cloudextender.modules.scep.testing.LogCapture;
import com.cloudextender.modules.scep.testing.TestCa;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code challenge} action as an MDM relay uses it, against the in-JVM CA: the challenge handed out lets
 * the device's own request (carrying it) enrol through {@code requestCertificate}.
 */
class ChallengeActionTest {
    private static final String STATIC_CHALLENGE = "Static-ch4llenge-7781";

    @TempDir
    Path dir;
    private TestCa ca;
    private ScepModule module;

    @AfterEach
    void tearDown() throws Exception {
        if (module != null) {
            module.stop();
        }
        if (ca != null) {
            ca.close();
        }
    }

    private static Map<String, String> base(TestCa ca) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "wifi");
        c.put("profile.wifi.url", ca.url());
        c.put("profile.wifi.caFingerprint", ca.caFingerprint()); // the test CA serves SCEP over plain HTTP
        c.put("profile.wifi.subjectPattern", "CN=[a-z0-9-]+,O=Example"); // any device of the test CA
        c.put("profile.wifi.pollInterval", "50ms");
        c.put("profile.wifi.pollTimeout", "3s");
        return c;
    }

    private Map<String, String> ndes(TestCa ca) throws Exception {
        Map<String, String> c = base(ca);
        c.put("profile.wifi.challengeUrl", ca.challengeUrl());
        c.put("profile.wifi.trustStore", ca.trustStore(dir.resolve("ca.pem")).toString());
        c.put("profile.wifi.challengeUser", TestCa.ADMIN_USER);
        c.put("profile.wifi.challengePassword", TestCa.ADMIN_PASSWORD);
        return c;
    }

    private void start(Map<String, String> config) throws Exception {
        module = new ScepModule();
        module.start(new FakeModuleContext("scep", new ModuleConfig(config,
                Set.of("profile.wifi.challenge", "profile.wifi.challengePassword")), dir));
    }

    private CommandResult run(String action, String argsJson) throws Exception {
        try {
            return module.actions().get(action).execute(new Command("c1", "scep", action, argsJson,
                    Duration.ofMinutes(1)));
        } catch (CommandException e) {
            return CommandResult.error(e.code(), e.getMessage());
        }
    }

    private static JsonNode json(CommandResult r) throws Exception {
        return Json.MAPPER.readTree(r.payload());
    }

    private CommandResult requestWith(KeyPair device, String subject, String challenge) throws Exception {
        String csr = Base64.getEncoder().encodeToString(CsrBuilder.build(device, "SHA256withECDSA",
                new X500Principal(subject), List.of(), Optional.of(challenge)).getEncoded());
        return run("requestCertificate", Json.text(Json.object().put("profile", "wifi").put("device", "dev-1")
                .put("csr", csr)));
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    @Test
    void anNdesChallengeLetsTheDevicesOwnRequestEnrolOnceAndIsNeverLogged() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            ca = TestCa.startWithRa(Duration.ofDays(365));
            Map<String, String> c = ndes(ca);
            c.put("profile.wifi.challengeValidity", "20m");
            start(c);

            CommandResult r = run("challenge", "{\"profile\":\"wifi\"}");
            assertTrue(r.isOk(), r.payload());
            JsonNode j = json(r);
            String challenge = j.path("challenge").asText();
            assertEquals(List.of(challenge), ca.handedOutChallenges(), "a freshly fetched one-time challenge");
            assertEquals("ndes", j.path("kind").asText());
            assertEquals(1200, j.path("expiresInSeconds").asLong());

            KeyPair device = ecKeys();
            CommandResult issued = requestWith(device, "CN=laptop-1,O=Example", challenge);
            assertTrue(issued.isOk(), issued.payload());
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(json(issued).path("certificate").asText())));
            assertArrayEquals(device.getPublic().getEncoded(), cert.getPublicKey().getEncoded());

            // The test CA accepts anything while no one-time challenge is outstanding, so one is fetched first.
            String next = json(run("challenge", "{\"profile\":\"wifi\"}")).path("challenge").asText();
            assertFalse(next.equals(challenge), "each call fetches a new one");
            CommandResult reused = requestWith(ecKeys(), "CN=laptop-2,O=Example", challenge);
            assertEquals(ErrorCode.MODULE_FAILURE, reused.errorCode(), "the CA took the one-time challenge once");
            assertTrue(json(reused).path("message").asText().contains("badRequest"), reused.payload());
            module.stop();
            module = null;

            String text = logs.text();
            assertTrue(text.contains("handed out a ndes challenge"), "the hand-out itself is logged");
            for (String oneTime : ca.handedOutChallenges()) {
                assertFalse(text.contains(oneTime), "one-time challenge logged");
            }
        }
    }

    @Test
    void theDefaultValidityIsNdesDefaultOfAnHour() throws Exception {
        ca = TestCa.startWithRa(Duration.ofDays(365));
        start(ndes(ca));
        assertEquals(3600, json(run("challenge", "{\"profile\":\"wifi\"}")).path("expiresInSeconds").asLong());
    }

    @Test
    void aStaticChallengeIsTheConfiguredOneWithoutExpiryAndIsNeverLogged() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            ca = TestCa.start().requireChallenge(STATIC_CHALLENGE);
            Map<String, String> c = base(ca);
            c.put("profile.wifi.challenge", STATIC_CHALLENGE);
            start(c);

            JsonNode j = json(run("challenge", "{\"profile\":\"wifi\"}"));
            assertEquals(STATIC_CHALLENGE, j.path("challenge").asText());
            assertEquals("static", j.path("kind").asText());
            assertFalse(j.has("expiresInSeconds"), j.toString());
            CommandResult issued = requestWith(ecKeys(), "CN=phone-1,O=Example", j.path("challenge").asText());
            assertTrue(issued.isOk(), issued.payload());
            assertFalse(logs.text().contains(STATIC_CHALLENGE), "static challenge logged");
        }
    }

    @Test
    void aProfileWithoutChallengeIsRefusedByName() throws Exception {
        ca = TestCa.start();
        start(base(ca));
        CommandResult r = run("challenge", "{\"profile\":\"wifi\"}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(json(r).path("message").asText().contains("wifi has no challenge"), r.payload());
        assertEquals(0, ca.scepRequests(), "nothing was sent to the CA");
    }

    @Test
    void aFullNdesPasswordCacheIsReportedAsTheCasSide() throws Exception {
        ca = TestCa.startWithRa(Duration.ofDays(365));
        start(ndes(ca));
        ca.cacheFull(true);
        CommandResult r = run("challenge", "{\"profile\":\"wifi\"}");
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode());
        assertTrue(json(r).path("message").asText().contains("The password cache is full"), r.payload());
    }
}
