package com.cloudextender.devcloud.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 hash of a password; the only form in which the dev cloud keeps an
 * extender's XMPP password.
 *
 * <p>The iteration count is modest on purpose: the passwords are long random strings the cloud
 * generated, so their strength comes from their entropy, not from a slow hash, and a low count keeps
 * reconnect storms cheap. The count is stored with each hash, so it can be raised later.
 *
 * @param iterations PBKDF2 iterations
 * @param salt Base64 salt
 * @param hash Base64 derived key
 */
public record PasswordHash(int iterations, String salt, String hash) {
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int DEFAULT_ITERATIONS = 10_000;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Hashes {@code password} with a fresh random salt. */
    public static PasswordHash of(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] derived = derive(password, salt, DEFAULT_ITERATIONS);
        Base64.Encoder b64 = Base64.getEncoder();
        return new PasswordHash(DEFAULT_ITERATIONS, b64.encodeToString(salt), b64.encodeToString(derived));
    }

    /** Whether {@code password} is the one this hash was made from (constant-time comparison). */
    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(hash);
        byte[] actual = derive(password, b64.decode(salt), iterations);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
