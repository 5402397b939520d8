package com.cloudextender.core.module.pack;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a signer certificate may sign modules (docs/MODULE-PACKAGE.md, "Publishers"): it is
 * one of the publisher certificates, or it was issued (signature-checked) by one that is a CA; neither
 * is on the deny list; neither carries the development key unless development publishers are allowed;
 * the signer is meant for code signing; both were valid at the time the package was verified. Immutable
 * and thread-safe.
 */
public final class PublisherTrust {
    /** id-kp-codeSigning (RFC 5280, 4.2.1.12). */
    static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private static final int DIGITAL_SIGNATURE = 0;

    private final List<X509Certificate> publishers;
    private final Set<String> denied;
    private final boolean allowDevelopment;

    /**
     * @param publishers       the trusted publisher certificates
     * @param denied           SHA-256 fingerprints (64 hex digits, colons allowed) of certificates or of
     *                         public keys (SubjectPublicKeyInfo) that are refused even when trusted
     * @param allowDevelopment whether the development publisher (modules/dev-signing) is accepted
     * @throws IllegalArgumentException when a deny-list entry is not a fingerprint
     */
    public PublisherTrust(List<X509Certificate> publishers, Set<String> denied, boolean allowDevelopment) {
        this.publishers = List.copyOf(publishers);
        Set<String> d = new LinkedHashSet<>();
        for (String f : denied) {
            d.add(fingerprint(f));
        }
        this.denied = Set.copyOf(d);
        this.allowDevelopment = allowDevelopment;
    }

    /** Trusts {@code publishers}, denies nothing, refuses the development publisher. */
    public PublisherTrust(List<X509Certificate> publishers) {
        this(publishers, Set.of(), false);
    }

    /** True when {@code certificate} carries the development publisher's key (modules/dev-signing). */
    public static boolean isDevelopment(X509Certificate certificate) {
        return DevelopmentPublisher.is(certificate);
    }

    boolean isEmpty() {
        return publishers.isEmpty();
    }

    /**
     * The canonical form of a SHA-256 fingerprint: 64 lower-case hex digits.
     *
     * @throws IllegalArgumentException saying what a fingerprint looks like
     */
    public static String fingerprint(String text) {
        String hex = text.trim().replace(":", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA-256 fingerprint; write 64 hexadecimal "
                    + "digits, with or without colons (openssl x509 -noout -fingerprint -sha256)");
        }
        return hex;
    }

    /** The SHA-256 fingerprint of the whole certificate (DER), lower-case hex. */
    static String certificateFingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(PackageVerifier.sha256().digest(c.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate " + subject(c) + " cannot be encoded", e);
        }
    }

    /**
     * Checks {@code signer} as of {@code at}, the time the package is (or was first) verified.
     *
     * @throws IllegalArgumentException naming the signer and why it is not trusted
     */
    void check(X509Certificate signer, Instant at) {
        X509Certificate publisher = publisherOf(signer);
        checkNotDenied(signer, "signer");
        checkNotDenied(publisher, "publisher");
        if (!allowDevelopment && (DevelopmentPublisher.is(signer) || DevelopmentPublisher.is(publisher))) {
            throw new IllegalArgumentException("signed with the development publisher key (" + subject(signer)
                    + "), whose private key is public; it is accepted only on development machines with "
                    + "modules.allowDevelopmentPublisher=true");
        }
        checkCodeSigning(signer);
        checkValidity(signer, at, "signer certificate");
        if (publisher != signer) {
            checkValidity(publisher, at, "publisher certificate");
        }
    }

    private X509Certificate publisherOf(X509Certificate signer) {
        for (X509Certificate p : publishers) {
            if (p.equals(signer)) {
                return signer;
            }
        }
        for (X509Certificate p : publishers) {
            if (!p.getSubjectX500Principal().equals(signer.getIssuerX500Principal())) {
                continue;
            }
            if (p.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("signer " + subject(signer) + " is issued by publisher " + subject(p)
                        + ", whose certificate is not a CA certificate");
            }
            try {
                signer.verify(p.getPublicKey());
                return p;
            } catch (GeneralSecurityException e) {
                // Same name, different key: not this publisher; keep looking.
            }
        }
        throw new IllegalArgumentException("signed by an unknown publisher " + subject(signer)
                + "; add its certificate (or its issuer's) to the publisher certificates if it is trusted");
    }

    private void checkNotDenied(X509Certificate c, String role) {
        String cert = certificateFingerprint(c);
        String key = DevelopmentPublisher.keyFingerprint(c);
        if (denied.contains(cert) || denied.contains(key)) {
            throw new IllegalArgumentException(role + " " + subject(c) + " is on the deny list (modules.deniedPublishers: "
                    + (denied.contains(cert) ? cert : key) + ")");
        }
    }

    /** A signer must be meant for signing code, so that a TLS or e-mail certificate of a publisher's CA cannot sign modules. */
    private static void checkCodeSigning(X509Certificate signer) {
        boolean[] usage = signer.getKeyUsage();
        if (usage == null || usage.length <= DIGITAL_SIGNATURE || !usage[DIGITAL_SIGNATURE]) {
            throw new IllegalArgumentException("signer certificate " + subject(signer) + " does not allow digital "
                    + "signatures (its key usage must include digitalSignature)");
        }
        List<String> extended;
        try {
            extended = signer.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("signer certificate " + subject(signer) + " has a malformed extended key "
                    + "usage", e);
        }
        if (extended == null || !extended.contains(CODE_SIGNING)) {
            throw new IllegalArgumentException("signer certificate " + subject(signer) + " is not a code-signing "
                    + "certificate (its extended key usage must include codeSigning, " + CODE_SIGNING + ")");
        }
    }

    private static void checkValidity(X509Certificate c, Instant at, String what) {
        try {
            c.checkValidity(Date.from(at));
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException(what + " " + subject(c) + " expired on " + c.getNotAfter().toInstant()
                    + " (checked at " + at + ")");
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException(what + " " + subject(c) + " is not valid before "
                    + c.getNotBefore().toInstant() + " (checked at " + at + ")");
        }
    }

    /** The subject as messages and {@link VerifiedPackage#signer()} show it (RFC 2253). */
    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }
}
