package com.cloudextender.core.secret;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The extender's local encryption key, bound to the machine: HMAC-SHA256 (an HKDF extract step) over
 * the machine id, keyed with a random salt kept in the data folder ({@link SaltStore}: an owner-only file,
 * or on Windows a DPAPI-sealed blob). Neither half alone opens anything: the salt without the machine gives
 * nothing, and the machine without the salt neither.
 *
 * @param key         32 bytes for AES-256-GCM
 * @param fingerprint a one-way hash of the machine id, stored beside sealed state so that state copied
 *                    from another machine is recognised as such rather than as corrupt
 */
public record MachineKey(byte[] key, String fingerprint) {

    /**
     * Opens (or on first start creates) the key for the machine {@code machineId} in {@code dataDir}, with the
     * salt kept as this platform keeps it ({@link SaltStore#forThisMachine()}).
     */
    public static MachineKey open(Path dataDir, String machineId) {
        return open(dataDir, machineId, SaltStore.forThisMachine());
    }

    /** As {@link #open(Path, String)}, with the salt from {@code salts}. */
    public static MachineKey open(Path dataDir, String machineId, SaltStore salts) {
        byte[] salt = salts.loadOrCreate(dataDir.resolve("keys"));
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

    @Override
    public String toString() {
        return "MachineKey[fingerprint=" + fingerprint + "]";
    }
}
