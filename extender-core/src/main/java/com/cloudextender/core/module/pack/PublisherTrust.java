package com.cloudextender.core.module.pack;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Decides whether a signer certificate belongs to a configured publisher: it is one of the publisher
 * certificates, or it was issued (signature-checked) by one that is a CA. Both must be valid at the
 * time of verification.
 */
final class PublisherTrust {
    private final List<X509Certificate> publishers;

    PublisherTrust(List<X509Certificate> publishers) {
        this.publishers = List.copyOf(publishers);
    }

    /**
     * Checks {@code signer}.
     *
     * @throws IllegalArgumentException naming the signer and why it is not trusted
     */
    void check(X509Certificate signer, Instant now) {
        X509Certificate publisher = publisherOf(signer);
        checkValidity(signer, now, "signer certificate");
        if (publisher != signer) {
            checkValidity(publisher, now, "publisher certificate");
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

    private static void checkValidity(X509Certificate c, Instant now, String what) {
        try {
            c.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException(what + " " + subject(c) + " expired on " + c.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException(what + " " + subject(c) + " is not valid before " + c.getNotBefore().toInstant());
        }
    }

    /** The subject as messages and {@link VerifiedPackage#signer()} show it (RFC 2253). */
    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }
}
