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
import org.bouncycastle.asn1.x509.Extension;
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

    /** A self-signed publisher (also usable as a CA), valid from a day ago to a year from now. */
    public static TestPublisher create(String commonName) {
        Instant now = Instant.now();
        return create(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), null);
    }

    /** A self-signed publisher whose certificate expired a year ago. */
    public static TestPublisher createExpired(String commonName) {
        Instant now = Instant.now();
        return create(commonName, now.minus(Duration.ofDays(730)), now.minus(Duration.ofDays(365)), null);
    }

    /** A publisher whose certificate this one issues (signs), valid from a day ago to a year from now. */
    public TestPublisher issue(String commonName) {
        Instant now = Instant.now();
        return create(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), this);
    }

    private static TestPublisher create(String commonName, Instant notBefore, Instant notAfter, TestPublisher issuer) {
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
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
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
