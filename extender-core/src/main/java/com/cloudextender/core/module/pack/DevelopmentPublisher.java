package com.cloudextender.core.module.pack;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Set;

/**
 * Recognises the development publisher, whose private key is in the repository (modules/dev-signing)
 * and therefore known to everyone. It is recognised by its public key, not by a file name or a subject:
 * a renamed certificate file, or a new certificate made for the same public key, is still the
 * development publisher.
 */
final class DevelopmentPublisher {
    /**
     * SHA-256 of the SubjectPublicKeyInfo (DER) of every development key ever published, newest first.
     * A key that was replaced stays here: it is still in the repository's history.
     */
    private static final Set<String> KEYS = Set.of(
            "6c57c0e83d242ca23ac3bdb681353e33701f19ba70d822bf00db73c4877f3708", // modules/dev-signing, 2026-12
            "ecf669d30848b11f2ac893d18cbda99f889ae1724696cf1fb0b041d4de9cb818"); // first key, 2026-11

    private DevelopmentPublisher() {
    }

    /** True when {@code certificate} carries a development key. */
    static boolean is(X509Certificate certificate) {
        return KEYS.contains(keyFingerprint(certificate));
    }

    /** The lower-case hex SHA-256 of the certificate's SubjectPublicKeyInfo. */
    static String keyFingerprint(X509Certificate certificate) {
        return HexFormat.of().formatHex(PackageVerifier.sha256().digest(certificate.getPublicKey().getEncoded()));
    }
}
