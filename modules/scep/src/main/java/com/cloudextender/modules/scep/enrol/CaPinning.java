package com.cloudextender.modules.scep.enrol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.jscep.client.verification.CertificateVerifier;

/**
 * Checks the CA certificate from GetCACert against the profile's expected SHA-256 fingerprint, and
 * remembers what it saw so that a mismatch can be reported with the fingerprint actually served.
 * Without a configured fingerprint the CA is authenticated by HTTPS against the profile's trust store
 * instead (configuration refuses a profile with neither), so any CA certificate that server sends is
 * accepted. One instance per request.
 */
public final class CaPinning implements CertificateVerifier {
    private final Optional<byte[]> expected;
    private volatile String seen;

    /** Pins {@code expected}, or accepts the CA served over verified HTTPS when empty. */
    public CaPinning(Optional<byte[]> expected) {
        this.expected = expected.map(byte[]::clone);
    }

    @Override
    public boolean verify(X509Certificate cert) {
        byte[] actual = sha256(cert);
        seen = HexFormat.ofDelimiter(":").withUpperCase().formatHex(actual);
        return expected.map(e -> Arrays.equals(e, actual)).orElse(true);
    }

    /** The fingerprint of the last CA certificate checked, if any. */
    public Optional<String> seen() {
        return Optional.ofNullable(seen);
    }

    /** The SHA-256 fingerprint of {@code cert}'s DER encoding. */
    public static byte[] sha256(X509Certificate cert) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the CA certificate: " + e.getMessage(), e);
        }
    }
}
