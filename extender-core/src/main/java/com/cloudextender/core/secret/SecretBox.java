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
 * {@code enc:v2:<base64 of IV and ciphertext>}; the name of the setting it belongs to is the cipher's
 * associated data, so a sealed value copied under another name does not open. Values sealed by earlier
 * versions ({@code enc:v1:}, no associated data) still open and are re-sealed at the next rewrite
 * ({@link #isLegacy}). Thread-safe.
 */
public final class SecretBox {
    private static final String LEGACY_PREFIX = "enc:v1:";
    private static final String PREFIX = "enc:v2:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(MachineKey machineKey) {
        this.key = new SecretKeySpec(machineKey.key(), "AES");
    }

    /** True when {@code value} is sealed text (of any version) rather than a clear value. */
    public static boolean isSealed(String value) {
        return value.startsWith(PREFIX) || value.startsWith(LEGACY_PREFIX);
    }

    /** True when {@code value} was sealed without its name (an earlier version) and should be sealed again. */
    public static boolean isLegacy(String value) {
        return value.startsWith(LEGACY_PREFIX);
    }

    /** Seals a clear text secret for the setting {@code name}; only {@code open(name, …)} opens it. */
    public String seal(String name, String clear) {
        return PREFIX + Base64.getEncoder().encodeToString(
                sealBytes(clear.getBytes(StandardCharsets.UTF_8), associatedData(name)));
    }

    /**
     * Opens the value of setting {@code name}; a clear value is returned as it is.
     *
     * @throws ConfigException naming the setting when the value was sealed on another machine, under
     *                         another name, or is damaged
     */
    public String open(String name, String value) {
        return open("", name, value);
    }

    /** As {@link #open(String, String)}, naming {@code where} (a file, a store) in the error. */
    public String open(String where, String name, String value) {
        if (!isSealed(value)) {
            return value;
        }
        boolean legacy = isLegacy(value);
        try {
            byte[] sealed = Base64.getDecoder().decode(value.substring(legacy ? LEGACY_PREFIX.length() : PREFIX.length()));
            byte[] clear = openBytes(sealed, legacy ? null : associatedData(name));
            return new String(clear, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigException((where.isEmpty() ? "" : where + ": ") + name + ": the encrypted value cannot "
                    + "be opened on this machine (it was encrypted on another machine, for another setting, or with "
                    + "a key that was since removed); write the value in clear again and it will be encrypted at the "
                    + "next start");
        }
    }

    /** Seals bytes: IV followed by ciphertext and tag. */
    public byte[] sealBytes(byte[] clear) {
        return sealBytes(clear, null);
    }

    private byte[] sealBytes(byte[] clear, byte[] aad) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            if (aad != null) {
                c.updateAAD(aad);
            }
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
        return openBytes(sealed, null);
    }

    private byte[] openBytes(byte[] sealed, byte[] aad) throws GeneralSecurityException {
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("sealed data is too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
        if (aad != null) {
            c.updateAAD(aad);
        }
        return c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
    }

    private static byte[] associatedData(String name) {
        return ("cloudextender-setting|" + name).getBytes(StandardCharsets.UTF_8);
    }
}
