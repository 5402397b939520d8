package com.cloudextender.modules.scep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScepConfigTest {
    private static final String PIN = "AB".repeat(32);
    @TempDir
    static Path tmp;
    private static Path trustStore;

    @BeforeAll
    static void trustStoreFile() throws Exception {
        // Only read for existence at configuration time; its content matters when HTTPS connects.
        trustStore = Files.writeString(tmp.resolve("ndes-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    }

    private static Map<String, String> base() {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "wifi, vpn");
        c.put("profile.wifi.url", "https://ndes.corp.example/certsrv/mscep/mscep.dll");
        c.put("profile.wifi.trustStore", trustStore.toString());
        c.put("profile.vpn.url", "http://scep.corp.example:8080/scep");
        c.put("profile.vpn.caFingerprint", PIN);
        return c;
    }

    @Test
    void plainHttpWithoutACaPinIsRefusedNamingTheProfileAndKey() {
        Map<String, String> c = base();
        c.remove("profile.vpn.caFingerprint");
        String e = error(c);
        assertTrue(e.startsWith("profile.vpn.caFingerprint: missing; profile vpn uses plain HTTP"), e);
        c.put("profile.vpn.trustStore", trustStore.toString());
        assertTrue(error(c).startsWith("profile.vpn.caFingerprint: missing; profile vpn uses plain HTTP"),
                "a trust store does not protect plain HTTP");
    }

    @Test
    void httpsWithoutACaPinNeedsAConfiguredTrustStore() {
        Map<String, String> c = base();
        c.remove("profile.wifi.trustStore");
        String e = error(c);
        assertTrue(e.startsWith("profile.wifi.caFingerprint: missing, and no profile.wifi.trustStore either"), e);
        c.put("profile.wifi.caFingerprint", PIN);
        assertEquals(32, read(c).profiles().get("wifi").caFingerprint().orElseThrow().length,
                "a pin alone authenticates the CA over https too");
    }

    @Test
    void theNdesChallengePageMustBeHttpsEvenWithAPin() {
        Map<String, String> c = base();
        c.put("profile.vpn.challengeUrl", "http://scep.corp.example/certsrv/mscep_admin/");
        c.put("profile.vpn.challengeUser", "CORP\\svc-ndes");
        c.put("profile.vpn.challengePassword", "S3cret-pw");
        String e = error(c);
        assertTrue(e.startsWith("profile.vpn.challengeUrl: 'http://scep.corp.example/certsrv/mscep_admin/' is not"
                + " https"), e);
        assertFalse(e.contains("S3cret-pw"), e);
        c.put("profile.vpn.challengeUrl", "https://scep.corp.example/certsrv/mscep_admin/");
        assertInstanceOf(ChallengeSettings.Ndes.class, read(c).profiles().get("vpn").challenge());
    }

    private static ScepConfig read(Map<String, String> c) {
        return ScepConfig.read(new ModuleConfig(c, Set.of()));
    }

    private static String error(Map<String, String> c) {
        return assertThrows(IllegalArgumentException.class, () -> read(c)).getMessage();
    }

    @Test
    void defaultsApplyWhenOnlyTheUrlIsSet() {
        ScepConfig config = read(base());
        assertEquals(java.util.List.of("wifi", "vpn"), java.util.List.copyOf(config.profiles().keySet()));
        ProfileSettings wifi = config.profiles().get("wifi");
        assertInstanceOf(ChallengeSettings.None.class, wifi.challenge());
        assertEquals("RSA 2048", wifi.keys().toString());
        assertEquals(Duration.ofSeconds(10), wifi.pollInterval());
        assertEquals(Duration.ofMinutes(5), wifi.pollTimeout());
        assertEquals(Set.of(SanType.RFC822_NAME), wifi.allowedSanTypes());
        assertEquals(SubjectTemplate.DEFAULT, wifi.subjectPattern().template());
        assertTrue(wifi.allowedExtensions().isEmpty());
        assertTrue(wifi.caFingerprint().isEmpty());
        assertEquals(trustStore, wifi.trustStore().orElseThrow());
    }

    @Test
    void anNdesChallengeNeedsItsAccountAndNeverPrintsThePassword() {
        Map<String, String> c = base();
        c.put("profile.wifi.challengeUrl", "https://ndes.corp.example/certsrv/mscep_admin/");
        assertEquals("profile.wifi.challengeUser: missing; the NDES challenge page needs an account", error(c));
        c.put("profile.wifi.challengeUser", "CORP\\svc-ndes");
        c.put("profile.wifi.challengePassword", "S3cret-pw");
        ProfileSettings wifi = read(c).profiles().get("wifi");
        assertInstanceOf(ChallengeSettings.Ndes.class, wifi.challenge());
        assertFalse(wifi.toString().contains("S3cret-pw"), wifi.toString());
        c.put("profile.wifi.challenge", "static");
        assertTrue(error(c).contains("both set"));
    }

    @Test
    void aStaticChallengeIsNeverPrinted() {
        Map<String, String> c = base();
        c.put("profile.vpn.challenge", "T0p-secret");
        assertFalse(read(c).toString().contains("T0p-secret"));
        assertFalse(read(c).profiles().get("vpn").toString().contains("T0p-secret"));
    }

    @Test
    void badValuesNameTheirKey() {
        Map<String, String> c = base();
        c.put("profile.wifi.url", "ftp://ca/scep");
        assertTrue(error(c).startsWith("profile.wifi.url: 'ftp://ca/scep' is not an http or https URL"), error(c));
        c = base();
        c.put("profile.wifi.caFingerprint", "AB:CD");
        assertTrue(error(c).startsWith("profile.wifi.caFingerprint:"), error(c));
        c = base();
        c.put("profile.wifi.allowedSanTypes", "dNSName,iPAddress");
        assertTrue(error(c).startsWith("profile.wifi.allowedSanTypes: 'iPAddress' is not a known type"), error(c));
        c = base();
        c.put("profile.wifi.keyAlgorithm", "DSA");
        assertTrue(error(c).startsWith("profile.wifi.keyAlgorithm:"), error(c));
        c = base();
        c.put("profile.wifi.keySize", "1024");
        assertTrue(error(c).startsWith("profile.wifi.keySize: 1024 is out of range"), error(c));
        c = base();
        c.put("profile.wifi.subjectPattern", "CN=(");
        assertTrue(error(c).startsWith("profile.wifi.subjectPattern:"), error(c));
        c = base();
        c.put("profile.wifi.pollInterval", "0s");
        assertTrue(error(c).startsWith("profile.wifi.pollInterval: must be longer than zero"), error(c));
        c = base();
        c.put("profile.wifi.trustStore", "/nonexistent/ca.pem");
        assertTrue(error(c).startsWith("profile.wifi.trustStore: /nonexistent/ca.pem is not a readable file"), error(c));
        c = base();
        c.remove("profile.vpn.url");
        assertEquals("profile.vpn.url: missing; it is required", error(c));
    }

    @Test
    void fingerprintsAcceptColonsAndEcCurvesAreChecked() {
        Map<String, String> c = base();
        c.put("profile.wifi.caFingerprint", "AB:".repeat(31) + "AB");
        c.put("profile.wifi.keyAlgorithm", "ec");
        c.put("profile.wifi.curve", "secp384r1");
        ProfileSettings wifi = read(c).profiles().get("wifi");
        assertEquals(32, wifi.caFingerprint().orElseThrow().length);
        assertEquals("EC secp384r1", wifi.keys().toString());
        c.put("profile.wifi.curve", "brainpoolP256r1");
        assertTrue(error(c).startsWith("profile.wifi.curve:"), error(c));
    }
}
