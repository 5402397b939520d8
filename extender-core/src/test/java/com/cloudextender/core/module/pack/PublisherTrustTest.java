package com.cloudextender.core.module.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signer checks of issue 10, items 1 and 7: usage, deny list, development publisher, verification time. */
class PublisherTrustTest {
    @TempDir
    Path dir;

    private Path pkg(TestPublisher signer) throws IOException {
        return ZipFixtures.write(dir.resolve("p-" + System.nanoTime() + ".cxm"),
                ZipFixtures.signed(ZipFixtures.minimalContent(), signer));
    }

    private String refusal(PackageVerifier verifier, Path pkg) {
        Path target = dir.resolve("out-" + System.nanoTime());
        ModulePackageException e = assertThrows(ModulePackageException.class, () -> verifier.verifyAndExtract(pkg, target));
        assertFalse(Files.exists(target), "nothing is left extracted");
        return e.getMessage();
    }

    private PackageVerifier verifier(PublisherTrust trust) {
        return new PackageVerifier(trust, 1 << 20, 50);
    }

    @Test
    void signerWithoutCodeSigningExtendedKeyUsageIsRefused() throws Exception {
        for (TestPublisher.Usage usage : List.of(TestPublisher.Usage.NO_EXTENDED_KEY_USAGE, TestPublisher.Usage.SERVER_AUTH)) {
            TestPublisher p = TestPublisher.create("TLS Only", usage);
            String why = refusal(new PackageVerifier(List.of(p.certificate())), pkg(p));
            assertTrue(why.contains("signer certificate CN=TLS Only is not a code-signing certificate (its extended key "
                    + "usage must include codeSigning, 1.3.6.1.5.5.7.3.3)"), usage + ": " + why);
        }
    }

    @Test
    void signerIssuedByATrustedCaStillNeedsCodeSigning() throws Exception {
        TestPublisher ca = TestPublisher.create("Publisher CA");
        TestPublisher web = ca.issue("www.publisher.example", TestPublisher.Usage.SERVER_AUTH);
        String why = refusal(new PackageVerifier(List.of(ca.certificate())), pkg(web));
        assertTrue(why.contains("CN=www.publisher.example is not a code-signing certificate"), why);
    }

    @Test
    void signerWhoseKeyUsageLacksDigitalSignatureIsRefused() throws Exception {
        TestPublisher p = TestPublisher.create("Cert Signer Only", TestPublisher.Usage.NO_DIGITAL_SIGNATURE);
        String why = refusal(new PackageVerifier(List.of(p.certificate())), pkg(p));
        assertTrue(why.contains("does not allow digital signatures (its key usage must include digitalSignature)"), why);
    }

    @Test
    void deniedPublisherIsRefusedEvenThoughTrusted() throws Exception {
        TestPublisher ca = TestPublisher.create("Publisher CA");
        TestPublisher signer = ca.issue("Release Signer");
        Path pkg = pkg(signer);
        String signerCert = PublisherTrust.certificateFingerprint(signer.certificate());
        String caKey = DevelopmentPublisher.keyFingerprint(ca.certificate());

        // By the signer's certificate fingerprint, written as openssl prints it.
        String colons = signerCert.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        String why = refusal(verifier(new PublisherTrust(List.of(ca.certificate()), Set.of(colons), false)), pkg);
        assertTrue(why.endsWith("signer CN=Release Signer is on the deny list (modules.deniedPublishers: " + signerCert
                + ")"), why);
        // By the issuing publisher's public key: every certificate of that key is refused.
        why = refusal(verifier(new PublisherTrust(List.of(ca.certificate()), Set.of(caKey), false)), pkg);
        assertTrue(why.contains("publisher CN=Publisher CA is on the deny list"), why);
        // An unrelated entry denies nothing.
        verifier(new PublisherTrust(List.of(ca.certificate()), Set.of("ab".repeat(32)), false))
                .verifyAndExtract(pkg, dir.resolve("ok"));
    }

    @Test
    void aDenyListEntryMustBeAFingerprint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PublisherTrust(List.of(), Set.of("CN=Someone"), false));
        assertTrue(e.getMessage().contains("'CN=Someone' is not a SHA-256 fingerprint"), e.getMessage());
    }

    @Test
    void developmentPublisherIsRefusedUnlessAllowedWhateverItsFileIsCalled() throws Exception {
        TestPublisher dev = TestPublisher.development();
        // Trusted under an innocent name: recognised by its key, not by the file name.
        Path renamed = Files.copy(TestPublisher.repository().resolve("modules/dev-signing/dev-publisher.pem"), dir.resolve("acme-release.pem"));
        List<X509Certificate> trusted = Publishers.load(renamed);
        Path pkg = pkg(dev);

        String why = refusal(verifier(new PublisherTrust(trusted, Set.of(), false)), pkg);
        assertTrue(why.contains("signed with the development publisher key"), why);
        assertTrue(why.contains("modules.allowDevelopmentPublisher=true"), why);

        VerifiedPackage ok = verifier(new PublisherTrust(trusted, Set.of(), true)).verifyAndExtract(pkg, dir.resolve("dev"));
        assertTrue(ok.signer().startsWith("CN=Cloud Extender Development Publisher"), ok.signer());
    }

    @Test
    void aNewCertificateForTheDevelopmentKeyIsStillTheDevelopmentPublisher() throws Exception {
        // Anyone holding the public development key can certify it again under another name.
        TestPublisher dev = TestPublisher.development();
        TestPublisher renamedCa = TestPublisher.create("Innocent CA");
        X509Certificate devIssuedByOther = renamedCa.issue("x").certificate(); // a different key: not development
        assertFalse(PublisherTrust.isDevelopment(devIssuedByOther));
        assertTrue(PublisherTrust.isDevelopment(dev.certificate()));
        TestPublisher signerUnderDevCa = dev.issue("Release Signer");
        String why = refusal(verifier(new PublisherTrust(List.of(dev.certificate()), Set.of(), false)),
                pkg(signerUnderDevCa));
        assertTrue(why.contains("signed with the development publisher key (CN=Release Signer)"), why);
    }

    @Test
    void theFirstDevelopmentKeyStaysRecognised() throws Exception {
        X509Certificate first;
        try (InputStream in = getClass().getResourceAsStream("/publishers/dev-publisher-2026-11.pem")) {
            first = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertTrue(PublisherTrust.isDevelopment(first));
    }

    @Test
    void theRepositoryDevelopmentCertificateIsACodeSigningCertificate() throws Exception {
        X509Certificate dev = Publishers.load(TestPublisher.repository().resolve("modules/dev-signing/dev-publisher.pem")).get(0);
        assertTrue(dev.getExtendedKeyUsage().contains(PublisherTrust.CODE_SIGNING));
        assertTrue(dev.getKeyUsage()[0], "digitalSignature");
        assertEquals(dev, TestPublisher.development().certificate(), "the .pem is the certificate of the .p12");
    }

    @Test
    void validityIsCheckedAtTheGivenVerificationTime() throws Exception {
        Instant now = Instant.now();
        TestPublisher lapsed = TestPublisher.create("Lapsed Publisher", now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        PackageVerifier v = new PackageVerifier(List.of(lapsed.certificate()));
        Path pkg = pkg(lapsed);

        // Installed while it was valid: still verifies as of that time.
        VerifiedPackage p = v.verifyAndExtract(pkg, dir.resolve("then"), now.minus(Duration.ofDays(2)));
        assertEquals(now.minus(Duration.ofDays(2)), p.verifiedAt());
        // First seen now: refused.
        ModulePackageException e = assertThrows(ModulePackageException.class,
                () -> v.verifyAndExtract(pkg, dir.resolve("now"), now));
        assertTrue(e.getMessage().contains("signer certificate CN=Lapsed Publisher expired on "), e.getMessage());
    }
}
