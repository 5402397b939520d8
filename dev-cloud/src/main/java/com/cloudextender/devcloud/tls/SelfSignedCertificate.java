package com.cloudextender.devcloud.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates the dev cloud's self-signed server certificate with Bouncy Castle: an EC P-256 key, valid
 * for {@link #VALIDITY}, with subject alternative names for {@code localhost}, the XMPP domain,
 * {@code 127.0.0.1} and {@code ::1}, so that clients can verify the host name whichever of these
 * they connect to.
 */
final class SelfSignedCertificate {
    static final Duration VALIDITY = Duration.ofDays(730);

    private SelfSignedCertificate() {
    }

    /** A key pair and a certificate for it. */
    record Issued(KeyPair keyPair, X509Certificate certificate) {
    }

    static Issued create(String domain) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();

        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + domain + ", O=Cloud Extender dev cloud");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), // tolerate small clock differences
                Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(domain));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Issued(keys, cert);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build the self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** The DNS names the certificate covers for {@code domain}. */
    static Set<String> dnsNames(String domain) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        names.add(domain.toLowerCase(Locale.ROOT));
        return names;
    }

    static final List<String> IP_ADDRESSES = List.of("127.0.0.1", "::1");

    private static GeneralNames subjectAltNames(String domain) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames(domain)) {
            if (isIpLiteral(dns)) {
                names.add(new GeneralName(GeneralName.iPAddress, dns));
            } else {
                names.add(new GeneralName(GeneralName.dNSName, dns));
            }
        }
        for (String ip : IP_ADDRESSES) {
            if (!names.contains(new GeneralName(GeneralName.iPAddress, ip))) {
                names.add(new GeneralName(GeneralName.iPAddress, ip));
            }
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }
}
