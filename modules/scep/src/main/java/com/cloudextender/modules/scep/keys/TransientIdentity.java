package com.cloudextender.modules.scep.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The extender's identity for one SCEP transaction: a fresh RSA key and a self-signed certificate with
 * the request's subject, as RFC 8894 (section 2.3) asks of a requester without a certificate yet. The CA
 * encrypts its answer to this key, so it must be RSA whatever the requested key is. It lives in memory
 * for one request and is never stored.
 *
 * @param certificate the self-signed certificate that signs the SCEP messages
 * @param key         its private key
 */
public record TransientIdentity(X509Certificate certificate, PrivateKey key) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new identity named {@code subject} (the request's subject, or a placeholder when it is empty). */
    public static TransientIdentity create(X500Principal subject) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        X500Principal name = subject.getName().isEmpty() ? new X500Principal("CN=SCEP relay") : subject;
        Instant now = Instant.now();
        try {
            var holder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).abs(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), name,
                    kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()));
            return new TransientIdentity(new JcaX509CertificateConverter().getCertificate(holder), kp.getPrivate());
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the transient identity: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "transient identity " + certificate.getSubjectX500Principal().getName();
    }
}
