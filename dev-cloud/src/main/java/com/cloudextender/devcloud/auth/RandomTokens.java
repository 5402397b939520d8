package com.cloudextender.devcloud.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random identifiers and secrets: extender ids, passwords, activation codes, bearer tokens, slot
 * tokens. All come from one {@link SecureRandom}, because several of them are credentials.
 */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or copied by hand survives. */
    private static final char[] CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private RandomTokens() {
    }

    /** {@code bytes} random bytes as URL-safe Base64 without padding: fits in URLs, headers and files. */
    public static String urlSafe(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Lower-case letters and digits, valid as an XMPP localpart and in a URL path. */
    public static String lowerAlphanumeric(int length) {
        return pick(LOWER_ALNUM, length);
    }

    /** An activation code such as {@code K7Q2-9XHD-M3TB-4RWA} (80 random bits). */
    public static String activationCode() {
        StringBuilder code = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            if (group > 0) {
                code.append('-');
            }
            code.append(pick(CODE_ALPHABET, 4));
        }
        return code.toString();
    }

    private static String pick(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
