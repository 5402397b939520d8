package com.cloudextender.core.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * HTTP Basic authentication (RFC 7617) against one user name and password. The expected credential is
 * kept only as a SHA-256 digest, and a presented one is compared digest to digest in constant time, so
 * neither its length nor its first wrong character shows in the response time. Thread-safe.
 */
final class BasicAuth {
    /** The challenge sent with a 401; UTF-8 so that non-ASCII passwords work in browsers. */
    static final String CHALLENGE = "Basic realm=\"Cloud Extender status\", charset=\"UTF-8\"";

    private final byte[] expected;

    BasicAuth(String username, String password) {
        this.expected = digest(username + ":" + password);
    }

    /** True when the {@code Authorization} header value carries the right user name and password. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(decoded));
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
