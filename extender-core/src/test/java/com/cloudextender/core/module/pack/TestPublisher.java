package com.cloudextender.core.module.pack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A module publisher for tests: a fresh EC P-256 key and a certificate (self-signed, or issued by
 * another test publisher), created with Bouncy Castle. Module-manager tests use it to sign packages
 * on the fly.
 */
public final class TestPublisher {
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private TestPublisher(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /** What a test certificate's key usage and extended key usage allow. */
    public enum Usage {
        /** digitalSignature and keyCertSign, extended key usage codeSigning: what a publisher needs. */
        CODE_SIGNING,
        /** digitalSignature and keyCertSign, no extended key usage at all. */
        NO_EXTENDED_KEY_USAGE,
        /** digitalSignature and keyCertSign, extended key usage serverAuth only (a TLS certificate). */
        SERVER_AUTH,
        /** keyCertSign only (no digitalSignature), extended key usage codeSigning. */
        NO_DIGITAL_SIGNATURE
    }

    /** A self-signed code-signing publisher (also usable as a CA), valid from a day ago to a year from now. */
    public static TestPublisher create(String commonName) {
        return create(commonName, Usage.CODE_SIGNING);
    }

    /** A self-signed publisher with {@code usage}, valid from a day ago to a year from now. */
    public static TestPublisher create(String commonName, Usage usage) {
        Instant now = Instant.now();
        return create(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), null, usage);
    }

    /** A self-signed code-signing publisher valid from {@code notBefore} to {@code notAfter}. */
    public static TestPublisher create(String commonName, Instant notBefore, Instant notAfter) {
        return create(commonName, notBefore, notAfter, null, Usage.CODE_SIGNING);
    }

    /** A self-signed publisher whose certificate expired a year ago. */
    public static TestPublisher createExpired(String commonName) {
        Instant now = Instant.now();
        return create(commonName, now.minus(Duration.ofDays(730)), now.minus(Duration.ofDays(365)), null,
                Usage.CODE_SIGNING);
    }

    /** A code-signing certificate this one issues (signs), valid from a day ago to a year from now. */
    public TestPublisher issue(String commonName) {
        return issue(commonName, Usage.CODE_SIGNING);
    }

    /** A certificate with {@code usage} that this one issues, valid from a day ago to a year from now. */
    public TestPublisher issue(String commonName, Usage usage) {
        Instant now = Instant.now();
        return create(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), this, usage);
    }

    /** The repository's development publisher (modules/dev-signing), whose key anyone can use. */
    public static TestPublisher development() {
        char[] password = "dev-signing-only".toCharArray();
        try (java.io.InputStream in = Files.newInputStream(repository().resolve("modules/dev-signing/dev-publisher.p12"))) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return new TestPublisher((PrivateKey) ks.getKey("dev-publisher", password),
                    (X509Certificate) ks.getCertificate("dev-publisher"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development key", e);
        }
    }

    /** The repository's root folder (tests run in extender-core/). */
    public static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("modules/dev-signing")) ? here : here.getParent();
    }

    /** A publisher made of an existing key and certificate, for example the development publisher's. */
    public static TestPublisher of(PrivateKey key, X509Certificate certificate) {
        return new TestPublisher(key, certificate);
    }

    private static TestPublisher create(String commonName, Instant notBefore, Instant notAfter, TestPublisher issuer,
            Usage usage) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Principal subject = new X500Principal("CN=" + commonName);
            X500Principal issuerName = issuer == null ? subject : issuer.certificate.getSubjectX500Principal();
            PrivateKey signingKey = issuer == null ? pair.getPrivate() : issuer.privateKey;
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(64, new SecureRandom()), Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage == Usage.NO_DIGITAL_SIGNATURE
                    ? KeyUsage.keyCertSign : KeyUsage.digitalSignature | KeyUsage.keyCertSign));
            if (usage == Usage.CODE_SIGNING || usage == Usage.NO_DIGITAL_SIGNATURE) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            } else if (usage == Usage.SERVER_AUTH) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
            return new TestPublisher(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot create a test publisher", e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the certificate as PEM into {@code dir} (named after the common name) and returns the file. */
    public Path pemFile(Path dir) {
        try {
            String name = certificate.getSubjectX500Principal().getName().replaceAll("[^A-Za-z0-9]+", "-") + ".pem";
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return Files.writeString(Files.createDirectories(dir).resolve(name), pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a package signed by this publisher with {@link PackageSigner}; returns {@code outFile}. */
    public Path sign(Path outFile, String descriptorProperties, List<Path> jars) {
        try {
            new PackageSigner(privateKey, certificate).write(descriptorProperties, jars, outFile);
            return outFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
