package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The compact record of what the cloud was last sent for one profile: per stable id, the entry's kind,
 * a hash of its DN and a hash of its content (17 bytes), never the entry itself. Stored in
 * {@link ModuleState} under {@code baseline/<profile>/<id>}.
 */
final class Baseline {
    static final int SIZE = 17;
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Baseline::newDigest);

    private Baseline() {
    }

    /** The state key prefix of {@code profile}'s baseline. */
    static String prefix(String profile) {
        return "baseline/" + profile + "/";
    }

    /** Loads {@code profile}'s baseline: stable id to compact value. */
    static Map<String, byte[]> load(ModuleState state, String profile) {
        Map<String, byte[]> out = new HashMap<>();
        String prefix = prefix(profile);
        state.forEach(prefix, (k, v) -> out.put(k.substring(prefix.length()), v));
        return out;
    }

    /** The compact value of an entry of {@code kind} with {@code dn} and content digest {@code content}. */
    static byte[] value(EntryKind kind, String dn, byte[] content) {
        byte[] v = new byte[SIZE];
        v[0] = (byte) kind.code();
        System.arraycopy(sha256(dn.getBytes(StandardCharsets.UTF_8)), 0, v, 1, 8);
        System.arraycopy(content, 0, v, 9, 8);
        return v;
    }

    static EntryKind kind(byte[] value) {
        return EntryKind.ofCode((char) value[0]);
    }

    static boolean sameDn(byte[] a, byte[] b) {
        return Arrays.equals(a, 1, 9, b, 1, 9);
    }

    static boolean sameContent(byte[] a, byte[] b) {
        return Arrays.equals(a, 9, SIZE, b, 9, SIZE);
    }

    /**
     * This thread's SHA-256 instance, reset: looking one up costs more than hashing a record, and a
     * sync hashes two values per entry. Each use must end with {@code digest()} before the next.
     */
    static MessageDigest digest() {
        MessageDigest d = DIGESTS.get();
        d.reset();
        return d;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }
}
