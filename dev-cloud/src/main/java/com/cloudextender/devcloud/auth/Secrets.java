package com.cloudextender.devcloud.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparison of secrets presented by clients (bearer tokens, slot authorisations). */
public final class Secrets {
    private Secrets() {
    }

    /**
     * Constant-time equality, so that response timing does not reveal how much of a token was right.
     * {@code false} if either side is null.
     */
    public static boolean equal(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The token of an {@code Authorization: Bearer …} header, or null when the header is absent or another scheme. */
    public static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null) {
            return null;
        }
        String h = authorizationHeader.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).trim();
    }
}
