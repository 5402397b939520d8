package com.cloudextender.modules.scep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.scep.csr.SubjectAltName;
import com.cloudextender.modules.scep.keys.CsrBuilder;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.scep.testing.LogCapture;
import com.cloudextender.modules.scep.testing.TestCa;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.jscep.transaction.FailInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The module's actions against an in-JVM SCEP CA (jSCEP's ScepServlet on Jetty, Bouncy Castle CA). */
class ScepModuleTest {
    private static final String CHALLENGE = "Chall3nge-s3cret-0042";
    private static final String P12_PASSWORD = "p12-Pa55word-9931";

    @TempDir
    Path dir;
    private TestCa ca;
    private ScepModule module;
    private FakeModuleContext context;

    @AfterEach
    void tearDown() throws Exception {
        if (module != null) {
            module.stop();
        }
        if (ca != null) {
            ca.close();
        }
    }

    private Map<String, String> config(String url) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "wifi");
        c.put("profile.wifi.url", url);
        // The test CA serves SCEP over plain HTTP, so its certificate is pinned (no CA is ever unpinned on http).
        c.put("profile.wifi.caFingerprint", ca == null ? "00".repeat(32) : ca.caFingerprint());
        c.put("profile.wifi.challenge", CHALLENGE);
        c.put("profile.wifi.subjectPattern", "CN=[a-z0-9.-]+,O=Example");
        c.put("profile.wifi.allowedSanTypes", "rfc822Name,upn");
        c.put("profile.wifi.pollInterval", "50ms");
        c.put("profile.wifi.pollTimeout", "3s");
        return c;
    }

    private void startModule(Map<String, String> config) throws Exception {
        startModule(config, null);
    }

    private void startModule(Map<String, String> config, com.cloudextender.api.OutboundProxies proxies)
            throws Exception {
        context = new FakeModuleContext("scep", new ModuleConfig(config,
                Set.of("profile.wifi.challenge", "profile.wifi.challengePassword")), dir);
        if (proxies != null) {
            context.setProxies(proxies);
        }
        module = new ScepModule();
        module.start(context);
    }

    private void startCaAndModule() throws Exception {
        ca = TestCa.start().requireChallenge(CHALLENGE);
        startModule(config(ca.url()));
    }

    private CommandResult run(String action, ObjectNode args) throws Exception {
        try {
            return module.actions().get(action).execute(new Command("c1", "scep", action, Json.text(args),
                    Duration.ofMinutes(1)));
        } catch (CommandException e) {
            return CommandResult.error(e.code(), e.getMessage());
        }
    }

    private static JsonNode json(CommandResult r) throws Exception {
        return Json.MAPPER.readTree(r.payload());
    }

    private static String message(CommandResult r) throws Exception {
        return json(r).path("message").asText();
    }

    private static ObjectNode generateArgs(String subject, String... sans) {
        ObjectNode a = Json.object().put("profile", "wifi").put("subject", subject).put("p12Password", P12_PASSWORD)
                .put("device", "dev-1").put("user", "alice");
        var arr = a.putArray("sans");
        for (String s : sans) {
            arr.add(s);
        }
        return a;
    }

    private static String deviceCsr(KeyPair keys, String subject, Optional<String> challenge, String... sans)
            throws Exception {
        List<SubjectAltName> names = java.util.Arrays.stream(sans).map(SubjectAltName::parse).toList();
        return Base64.getEncoder().encodeToString(CsrBuilder.build(keys, "SHA256withECDSA", new X500Principal(subject),
                names, challenge).getEncoded());
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    @Test
    void generateAndRequestReturnsAPkcs12WhoseKeyMatchesTheCertificate() throws Exception {
        startCaAndModule();
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example", "rfc822Name:alice@example.com",
                "upn:alice@corp.example").put("userEmail", "alice@example.com").put("userUpn", "alice@corp.example"));
        assertTrue(r.isOk(), r.payload());
        JsonNode j = json(r);
        X509Certificate cert = certificate(j.path("certificate").asText());
        assertEquals("CN=alice,O=Example", j.path("subject").asText());
        assertEquals(cert.getSerialNumber().toString(16), j.path("serial").asText());
        assertEquals(cert.getNotAfter().toInstant().toString(), j.path("notAfter").asText());
        assertEquals(1, j.path("chain").size());
        assertEquals(ca.caCertificate(), certificate(j.path("chain").get(0).asText()));
        assertEquals(2, cert.getSubjectAlternativeNames().size());

        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(new ByteArrayInputStream(Base64.getDecoder().decode(j.path("pkcs12").asText())),
                P12_PASSWORD.toCharArray());
        String alias = p12.aliases().nextElement();
        PrivateKey key = (PrivateKey) p12.getKey(alias, P12_PASSWORD.toCharArray());
        assertEquals(cert, p12.getCertificate(alias));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig), "the PKCS#12 key signs what the certificate's key verifies");
        assertEquals(2048, ((java.security.interfaces.RSAPublicKey) cert.getPublicKey()).getModulus().bitLength());
    }

    @Test
    void thePkcs12IsEncryptedWithAes256NotLegacyCiphers() throws Exception {
        startCaAndModule();
        CommandResult r = run("generateAndRequest", generateArgs("CN=bob,O=Example"));
        byte[] p12 = Base64.getDecoder().decode(json(r).path("pkcs12").asText());
        var pfx = new org.bouncycastle.pkcs.PKCS12PfxPdu(p12);
        for (var info : pfx.getContentInfos()) {
            if (info.getContentType().equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.encryptedData)) {
                var ed = org.bouncycastle.asn1.pkcs.EncryptedData.getInstance(info.getContent());
                assertEquals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_PBES2,
                        ed.getEncryptionAlgorithm().getAlgorithm());
                var pbes2 = org.bouncycastle.asn1.pkcs.PBES2Parameters.getInstance(
                        ed.getEncryptionAlgorithm().getParameters());
                assertEquals(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC,
                        pbes2.getEncryptionScheme().getAlgorithm());
            }
        }
        assertTrue(pfx.isMacValid(new org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilderProvider()
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()),
                P12_PASSWORD.toCharArray()));
    }

    @Test
    void requestCertificateRelaysADeviceRequestAndRecordsTheCertificate() throws Exception {
        startCaAndModule();
        KeyPair device = ecKeys();
        CommandResult r = run("requestCertificate", Json.object().put("profile", "wifi").put("device", "dev-7")
                .put("csr", deviceCsr(device, "CN=laptop-7,O=Example", Optional.of(CHALLENGE))));
        assertTrue(r.isOk(), r.payload());
        X509Certificate cert = certificate(json(r).path("certificate").asText());
        assertArrayEquals(device.getPublic().getEncoded(), cert.getPublicKey().getEncoded());

        JsonNode expiring = json(run("expiring", Json.object().put("withinDays", 400)));
        assertEquals(1, expiring.path("certificates").size());
        JsonNode rec = expiring.path("certificates").get(0);
        assertEquals(cert.getSerialNumber().toString(16), rec.path("serial").asText());
        assertEquals("dev-7", rec.path("device").asText());
        assertFalse(rec.path("expired").asBoolean());
        assertEquals(0, json(run("expiring", Json.object().put("withinDays", 30))).path("certificates").size());
    }

    @Test
    void aPemRequestIsAccepted() throws Exception {
        startCaAndModule();
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder().encodeToString(Base64.getDecoder().decode(
                        deviceCsr(ecKeys(), "CN=pem,O=Example", Optional.of(CHALLENGE))))
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertTrue(run("requestCertificate", Json.object().put("profile", "wifi").put("csr", pem)).isOk());
    }

    @Test
    void aMalformedRequestIsRefusedBeforeTheCaIsContacted() throws Exception {
        startCaAndModule();
        CommandResult r = run("requestCertificate", Json.object().put("profile", "wifi").put("csr", "bm90IGEgY3Ny"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).startsWith("csr: not a PKCS#10"), message(r));
        assertEquals(0, ca.scepRequests());
    }

    @Test
    void aRequestWithABrokenSignatureIsRefused() throws Exception {
        startCaAndModule();
        byte[] der = Base64.getDecoder().decode(deviceCsr(ecKeys(), "CN=x,O=Example", Optional.of(CHALLENGE)));
        der[der.length - 5] ^= 0x01; // inside the signature value
        CommandResult r = run("requestCertificate", Json.object().put("profile", "wifi")
                .put("csr", Base64.getEncoder().encodeToString(der)));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).contains("signature"), message(r));
        assertEquals(0, ca.scepRequests());
    }

    @Test
    void aSubjectOutsideTheProfileIsRefused() throws Exception {
        startCaAndModule();
        CommandResult r = run("requestCertificate", Json.object().put("profile", "wifi")
                .put("csr", deviceCsr(ecKeys(), "CN=mallory,O=Other", Optional.of(CHALLENGE))));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).contains("'CN=mallory,O=Other' does not match profile wifi's subjectPattern"), message(r));
        CommandResult g = run("generateAndRequest", generateArgs("CN=Mallory,O=Example"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, g.errorCode());
        assertEquals(0, ca.scepRequests());
    }

    @Test
    void anAlternativeNameOfADisallowedTypeIsRefused() throws Exception {
        startCaAndModule();
        CommandResult r = run("requestCertificate", Json.object().put("profile", "wifi")
                .put("csr", deviceCsr(ecKeys(), "CN=x,O=Example", Optional.of(CHALLENGE), "dNSName:evil.example")));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).contains("dNSName:evil.example is of a type profile wifi does not allow"), message(r));
        assertEquals(0, ca.scepRequests());
    }

    @Test
    void theDefaultProfileRefusesAnAdministratorsUpnOrAnotherDeviceBeforeTheCaIsContacted() throws Exception {
        ca = TestCa.start().requireChallenge(CHALLENGE);
        Map<String, String> c = config(ca.url());
        c.remove("profile.wifi.subjectPattern");
        c.remove("profile.wifi.allowedSanTypes");
        startModule(c);
        ObjectNode upn = Json.object().put("profile", "wifi").put("device", "laptop-7").put("userUpn", "alice@corp")
                .put("csr", deviceCsr(ecKeys(), "CN=laptop-7", Optional.of(CHALLENGE), "upn:administrator@corp"));
        CommandResult r = run("requestCertificate", upn);
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).contains("upn:administrator@corp is of a type profile wifi does not allow"), message(r));
        r = run("requestCertificate", Json.object().put("profile", "wifi").put("device", "laptop-7")
                .put("csr", deviceCsr(ecKeys(), "CN=laptop-8", Optional.of(CHALLENGE))));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).contains("for the command's device 'laptop-7'"), message(r));
        assertEquals(0, ca.scepRequests());
        r = run("requestCertificate", Json.object().put("profile", "wifi").put("device", "laptop-7")
                .put("csr", deviceCsr(ecKeys(), "CN=laptop-7,O=Example", Optional.of(CHALLENGE))));
        assertTrue(r.isOk(), r.payload());
    }

    @Test
    void aRelayedRequestWithoutTheNeededChallengeIsRefusedWithTheWayOut() throws Exception {
        startCaAndModule();
        CommandResult r = run("requestCertificate", Json.object().put("profile", "wifi")
                .put("csr", deviceCsr(ecKeys(), "CN=x,O=Example", Optional.empty())));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).contains("generateAndRequest"), message(r));
    }

    @Test
    void aWrongChallengeIsReportedAsBadRequestWithItsUsualCause() throws Exception {
        ca = TestCa.start().requireChallenge("another-challenge");
        startModule(config(ca.url()));
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode());
        assertTrue(message(r).contains("failInfo badRequest"), message(r));
        assertTrue(message(r).contains("wrong or expired challenge password"), message(r));
        assertEquals(1, ca.enrolRequests());
    }

    @Test
    void anUnreachableCaIsReportedClearly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startModule(config("http://127.0.0.1:" + port + "/scep"));
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode());
        assertTrue(message(r).contains("cannot reach the SCEP server at http://127.0.0.1:" + port), message(r));
    }

    @Test
    void everyConnectionFollowsTheSharedProxyDecision() throws Exception {
        ca = TestCa.start().requireChallenge(CHALLENGE);
        int caPort = java.net.URI.create(ca.url()).getPort();
        List<String> asked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        // The CA's own HTTP server stands in for the proxy: it serves absolute-form request URIs by path.
        startModule(config("http://scep.ca.invalid:8080/scep"), (host, port) -> {
            asked.add(host + ":" + port);
            return Optional.of(new com.cloudextender.api.ProxyRoute("127.0.0.1", caPort, Optional.empty(),
                    Optional.empty()));
        });
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertTrue(r.isOk(), r.payload());
        assertTrue(asked.contains("scep.ca.invalid:8080"), asked.toString());
        assertTrue(ca.enrolRequests() == 1);
    }

    @Test
    void anHttpErrorOfTheCaIsNamed() throws Exception {
        startCaAndModule();
        ca.answerStatus(503);
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode());
        assertTrue(message(r).contains("HTTP 503"), message(r));
        assertTrue(message(r).contains("application pool"), message(r));
    }

    @Test
    void aPendingRequestIsPolledUntilIssued() throws Exception {
        startCaAndModule();
        ca.pendingFor(3);
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertTrue(r.isOk(), r.payload());
        assertEquals(4, ca.polls());
        assertEquals(1, ca.enrolRequests());
    }

    @Test
    void aRequestStillPendingAfterPollTimeoutFailsWithTheTransaction() throws Exception {
        ca = TestCa.start().requireChallenge(CHALLENGE).pendingFor(1_000);
        Map<String, String> c = config(ca.url());
        c.put("profile.wifi.pollTimeout", "300ms");
        startModule(c);
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode());
        assertTrue(message(r).contains("still holds the request as PENDING after pollTimeout"), message(r));
        assertTrue(ca.polls() >= 2, "polled " + ca.polls());
    }

    @ParameterizedTest
    @EnumSource(FailInfo.class)
    void eachFailInfoIsNamedWithItsUsualMeaning(FailInfo info) throws Exception {
        startCaAndModule();
        ca.failWith(info);
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode());
        String expected = switch (info) {
            case badAlg -> "algorithm";
            case badMessageCheck -> "RA certificates";
            case badRequest -> "challenge password";
            case badTime -> "clocks";
            case badCertId -> "could not find the certificate";
        };
        assertTrue(message(r).contains("failInfo " + info.name() + ": "), message(r));
        assertTrue(message(r).contains(expected), message(r));
        assertTrue(context.state.snapshot().isEmpty(), "nothing recorded for a refused request");
    }

    @Test
    void aCaWithAnotherFingerprintIsRefusedWithTheServedOne() throws Exception {
        ca = TestCa.start().requireChallenge(CHALLENGE);
        Map<String, String> c = config(ca.url());
        c.put("profile.wifi.caFingerprint", "00".repeat(32));
        startModule(c);
        CommandResult r = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode());
        String served = HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(ca.caCertificate().getEncoded()));
        assertTrue(message(r).contains(served), message(r));
        assertEquals(0, ca.enrolRequests());
    }

    @ParameterizedTest
    @EnumSource(value = TestCa.Tamper.class, names = {"OTHER_SUBJECT", "EXTRA_NAME", "OTHER_SIGNER"})
    void aCertificateThatIsNotTheRequestedOneIsRefusedAndNotReturned(TestCa.Tamper tamper) throws Exception {
        startCaAndModule();
        ca.tamper(tamper);
        KeyPair device = ecKeys();
        CommandResult r = run("requestCertificate", Json.object().put("profile", "wifi").put("userEmail", "l9@example.com")
                .put("csr", deviceCsr(device, "CN=laptop-9,O=Example", Optional.of(CHALLENGE), "rfc822Name:l9@example.com")));
        assertEquals(ErrorCode.MODULE_FAILURE, r.errorCode(), r.payload());
        String expected = switch (tamper) {
            case OTHER_SUBJECT -> "CN=administrator' is not the requested 'CN=laptop-9,O=Example'";
            case EXTRA_NAME -> "alternative names differ from the request's (added: [dNSName:dc1.corp.example]";
            case OTHER_SIGNER -> "is not signed by the pinned CA certificate";
            case NONE -> throw new AssertionError();
        };
        assertTrue(message(r).contains("the CA's answer was refused and is not returned: " ), message(r));
        assertTrue(message(r).contains(expected), message(r));
        assertFalse(r.payload().contains("\"certificate\""), r.payload());
        assertTrue(context.state.snapshot().isEmpty(), "nothing recorded for a refused certificate");
        ca.tamper(TestCa.Tamper.NONE);
        assertTrue(run("requestCertificate", Json.object().put("profile", "wifi").put("userEmail", "l9@example.com")
                .put("csr", deviceCsr(device, "CN=laptop-9,O=Example", Optional.of(CHALLENGE), "rfc822Name:l9@example.com")))
                .isOk(), "the same request is accepted when the CA issues it as asked");
    }

    @Test
    void thePinnedCaIsAccepted() throws Exception {
        ca = TestCa.start().requireChallenge(CHALLENGE);
        Map<String, String> c = config(ca.url());
        c.put("profile.wifi.caFingerprint", HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(ca.caCertificate().getEncoded())));
        startModule(c);
        assertTrue(run("generateAndRequest", generateArgs("CN=alice,O=Example")).isOk());
    }

    @Test
    void aCaBehindAnRaChainEnrolsWithNdesOneTimeChallenges() throws Exception {
        ca = TestCa.startWithRa(Duration.ofDays(365));
        Map<String, String> c = config(ca.url());
        c.remove("profile.wifi.challenge");
        c.put("profile.wifi.challengeUrl", ca.challengeUrl());
        c.put("profile.wifi.trustStore", ca.trustStore(dir.resolve("ca.pem")).toString());
        c.put("profile.wifi.challengeUser", TestCa.ADMIN_USER);
        c.put("profile.wifi.challengePassword", TestCa.ADMIN_PASSWORD);
        startModule(c);
        CommandResult first = run("generateAndRequest", generateArgs("CN=alice,O=Example"));
        assertTrue(first.isOk(), first.payload());
        CommandResult second = run("generateAndRequest", generateArgs("CN=bob,O=Example"));
        assertTrue(second.isOk(), "a fresh one-time challenge per request: " + second.payload());

        ca.cacheFull(true);
        CommandResult full = run("generateAndRequest", generateArgs("CN=carol,O=Example"));
        assertEquals(ErrorCode.MODULE_FAILURE, full.errorCode());
        assertTrue(message(full).contains("The password cache is full"), message(full));
        assertEquals(2, ca.enrolRequests(), "no request sent without a challenge");
    }

    @Test
    void renewalReplacesTheRecordedCertificate() throws Exception {
        startCaAndModule();
        JsonNode first = json(run("generateAndRequest", generateArgs("CN=alice,O=Example", "rfc822Name:a@example.com")
                .put("userEmail", "a@example.com")));
        CommandResult r = run("renew", Json.object().put("profile", "wifi").put("userEmail", "a@example.com")
                .put("certificate", first.path("certificate").asText()).put("p12Password", P12_PASSWORD));
        assertTrue(r.isOk(), r.payload());
        JsonNode renewed = json(r);
        assertNotEquals(first.path("serial").asText(), renewed.path("serial").asText());
        assertEquals("CN=alice,O=Example", renewed.path("subject").asText());
        assertEquals(1, certificate(renewed.path("certificate").asText()).getSubjectAlternativeNames().size());
        JsonNode expiring = json(run("expiring", Json.object().put("withinDays", 400))).path("certificates");
        assertEquals(1, expiring.size());
        assertEquals(renewed.path("serial").asText(), expiring.get(0).path("serial").asText());
    }

    @Test
    void renewalWithARequestKeepsTheSubject() throws Exception {
        startCaAndModule();
        JsonNode first = json(run("generateAndRequest", generateArgs("CN=alice,O=Example")));
        CommandResult r = run("renew", Json.object().put("profile", "wifi")
                .put("certificate", first.path("certificate").asText())
                .put("csr", deviceCsr(ecKeys(), "CN=bob,O=Example", Optional.of(CHALLENGE))));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, r.errorCode());
        assertTrue(message(r).contains("differs from the certificate's"), message(r));
    }

    @Test
    void diagnoseReportsCapabilitiesCertificatesCrlsAndChallenge() throws Exception {
        ca = TestCa.startWithRa(Duration.ofDays(10));
        Map<String, String> c = config(ca.url());
        c.remove("profile.wifi.challenge");
        c.put("profile.wifi.challengeUrl", ca.challengeUrl());
        c.put("profile.wifi.trustStore", ca.trustStore(dir.resolve("ca.pem")).toString());
        c.put("profile.wifi.challengeUser", TestCa.ADMIN_USER);
        c.put("profile.wifi.challengePassword", TestCa.ADMIN_PASSWORD);
        startModule(c);
        JsonNode d = json(run("diagnose", Json.object().put("profile", "wifi")));
        assertTrue(d.path("ca").path("reachable").asBoolean());
        assertEquals(200, d.path("ca").path("httpStatus").asInt());
        assertTrue(d.path("ca").path("capabilities").toString().contains("POSTPKIOperation"), d.toString());
        assertTrue(d.path("ca").path("renewal").asBoolean());
        assertEquals(2, d.path("certificates").size());
        JsonNode ra = null;
        JsonNode caCert = null;
        for (JsonNode cert : d.path("certificates")) {
            if (cert.path("role").asText().equals("RA")) {
                ra = cert;
            } else if (cert.path("role").asText().equals("CA")) {
                caCert = cert;
            }
        }
        assertTrue(ra != null && caCert != null, d.toString());
        assertTrue(ra.path("expiresSoon").asBoolean());
        assertFalse(caCert.path("expiresSoon").asBoolean());
        assertEquals(1, d.path("crlDistributionPoints").size(), d.toString());
        assertTrue(d.path("crlDistributionPoints").get(0).path("reachable").asBoolean(), d.toString());
        assertTrue(d.path("challenge").path("working").asBoolean(), d.toString());
        assertFalse(d.path("ok").asBoolean());
        assertTrue(d.path("problems").toString().contains("expires in"), d.toString());
    }

    @Test
    void diagnoseNamesAnNdes503AndAFullChallengeCache() throws Exception {
        ca = TestCa.start();
        Map<String, String> c = config(ca.url());
        c.remove("profile.wifi.challenge");
        c.put("profile.wifi.challengeUrl", ca.challengeUrl());
        c.put("profile.wifi.trustStore", ca.trustStore(dir.resolve("ca.pem")).toString());
        c.put("profile.wifi.challengeUser", TestCa.ADMIN_USER);
        c.put("profile.wifi.challengePassword", "wrong-password");
        startModule(c);
        ca.answerStatus(503);
        JsonNode d = json(run("diagnose", Json.object().put("profile", "wifi")));
        assertEquals(503, d.path("ca").path("httpStatus").asInt());
        assertTrue(d.path("problems").toString().contains("application pool"), d.toString());
        assertFalse(d.path("challenge").path("working").asBoolean());
        assertTrue(d.path("challenge").path("error").asText().contains("HTTP 401"), d.toString());
    }

    @Test
    void diagnoseOfAHealthyCaFindsNoProblemAndNeverShowsTheChallenge() throws Exception {
        startCaAndModule();
        JsonNode d = json(run("diagnose", Json.object().put("profile", "wifi")));
        assertTrue(d.path("ok").asBoolean(), d.toString());
        assertEquals("static", d.path("challenge").path("kind").asText());
        assertFalse(d.toString().contains(CHALLENGE), "the challenge is never shown");
    }

    @Test
    void noSecretReachesTheLogs() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            ca = TestCa.startWithRa(Duration.ofDays(365));
            Map<String, String> c = config(ca.url());
            c.remove("profile.wifi.challenge");
            c.put("profile.wifi.challengeUrl", ca.challengeUrl());
            c.put("profile.wifi.trustStore", ca.trustStore(dir.resolve("ca.pem")).toString());
            c.put("profile.wifi.challengeUser", TestCa.ADMIN_USER);
            c.put("profile.wifi.challengePassword", TestCa.ADMIN_PASSWORD);
            c.put("profiles", "wifi,vpn");
            c.put("profile.vpn.url", ca.url());
            c.put("profile.vpn.caFingerprint", ca.caFingerprint());
            c.put("profile.vpn.challenge", CHALLENGE);
            ca.requireChallenge(CHALLENGE);
            startModule(c);
            JsonNode ok = json(run("generateAndRequest", generateArgs("CN=alice,O=Example")));
            assertTrue(run("generateAndRequest", generateArgs("CN=dave,O=Example").put("profile", "vpn")
                    .put("user", "dave")).isOk());
            run("generateAndRequest", generateArgs("CN=Wrong,O=Example"));
            run("diagnose", Json.object().put("profile", "wifi"));
            ca.failWith(FailInfo.badRequest);
            run("generateAndRequest", generateArgs("CN=bob,O=Example"));
            module.stop();
            module = null;

            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(new ByteArrayInputStream(Base64.getDecoder().decode(ok.path("pkcs12").asText())),
                    P12_PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) p12.getKey(p12.aliases().nextElement(), P12_PASSWORD.toCharArray());
            String text = logs.text();
            assertTrue(logs.size() > 20, "DEBUG logging was captured: " + logs.size());
            assertFalse(text.contains(P12_PASSWORD), "p12 password logged");
            assertFalse(text.contains(TestCa.ADMIN_PASSWORD), "challenge page password logged");
            assertFalse(text.contains(Base64.getEncoder().encodeToString((TestCa.ADMIN_USER + ":"
                    + TestCa.ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                    "challenge page credentials logged");
            assertFalse(text.contains(Base64.getEncoder().encodeToString(key.getEncoded()).substring(40, 100)),
                    "private key logged");
            assertFalse(text.contains(HexFormat.of().formatHex(key.getEncoded()).substring(80, 200)),
                    "private key logged as hex");
            assertFalse(text.contains(ok.path("pkcs12").asText().substring(40, 100)), "PKCS#12 logged");
            assertFalse(text.contains(CHALLENGE), "static challenge logged");
            assertFalse(ca.handedOutChallenges().isEmpty());
            for (String oneTime : ca.handedOutChallenges()) {
                assertFalse(text.contains(oneTime), "one-time challenge logged");
            }
        }
    }
}
