package com.cloudextender.core.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The extender's local encryption key, bound to the machine: HMAC-SHA256 (an HKDF extract step) over
 * the machine id, keyed with a random salt kept in the data folder. Neither half alone opens anything:
 * the salt without the machine gives nothing, and the machine without the salt neither.
 *
 * @param key         32 bytes for AES-256-GCM
 * @param fingerprint a one-way hash of the machine id, stored beside sealed state so that state copied
 *                    from another machine is recognised as such rather than as corrupt
 */
public record MachineKey(byte[] key, String fingerprint) {

    /** Opens (or on first start creates) the key for the machine {@code machineId} in {@code dataDir}. */
    public static MachineKey open(Path dataDir, String machineId) {
        byte[] salt = loadOrCreateSalt(dataDir.resolve("keys").resolve("machine.salt"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] key = mac.doFinal(("cloudextender-key-v1|" + machineId).getBytes(StandardCharsets.UTF_8));
            byte[] fp = MessageDigest.getInstance("SHA-256")
                    .digest(("cloudextender-binding-v1|" + machineId).getBytes(StandardCharsets.UTF_8));
            return new MachineKey(key, HexFormat.of().formatHex(fp));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime lacks HmacSHA256 or SHA-256", e);
        }
    }

    private static byte[] loadOrCreateSalt(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] salt = Files.readAllBytes(file);
                if (salt.length == 32) {
                    return salt;
                }
                throw new IllegalStateException(file + " is damaged (" + salt.length + " bytes, expected 32); "
                        + "remove the data folder's keys/ and register the extender again");
            }
            byte[] salt = new byte[32];
            new SecureRandom().nextBytes(salt);
            PrivateFiles.write(file, salt);
            return salt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key salt " + file, e);
        }
    }

    @Override
    public String toString() {
        return "MachineKey[fingerprint=" + fingerprint + "]";
    }
}
