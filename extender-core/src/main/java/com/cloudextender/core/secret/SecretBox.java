package com.cloudextender.core.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.cloudextender.core.config.ConfigException;

/**
 * Seals and opens secrets with AES-256-GCM under the {@link MachineKey}. Sealed text looks like
 * {@code enc:v1:<base64 of IV and ciphertext>}. Thread-safe.
 */
public final class SecretBox {
    private static final String PREFIX = "enc:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(MachineKey machineKey) {
        this.key = new SecretKeySpec(machineKey.key(), "AES");
    }

    /** True when {@code value} is sealed text rather than a clear value. */
    public static boolean isSealed(String value) {
        return value.startsWith(PREFIX);
    }

    /** Seals a clear text secret. */
    public String seal(String clear) {
        return PREFIX + Base64.getEncoder().encodeToString(sealBytes(clear.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Opens the value of configuration key {@code name}; a clear value is returned as it is.
     *
     * @throws ConfigException naming the key when the value was sealed on another machine or is damaged
     */
    public String open(String name, String value) {
        if (!isSealed(value)) {
            return value;
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(value.substring(PREFIX.length()));
            return new String(openBytes(sealed), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigException(name + ": the encrypted value cannot be opened on this machine (it was "
                    + "encrypted on another machine, or with a key that was since removed); write the value "
                    + "in clear again and it will be encrypted at the next start");
        }
    }

    /** Seals bytes: IV followed by ciphertext and tag. */
    public byte[] sealBytes(byte[] clear) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] ct = c.doFinal(clear);
            return ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        }
    }

    /**
     * Opens bytes sealed by {@link #sealBytes}.
     *
     * @throws AEADBadTagException when they were sealed with another key or were changed
     */
    public byte[] openBytes(byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("sealed data is too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
        return c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
    }
}
