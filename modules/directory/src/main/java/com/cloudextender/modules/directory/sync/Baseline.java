package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.BiConsumer;

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

    /**
     * The stored value of {@code id} in {@code profile}'s baseline, or null. The sync looks entries up
     * one by one as they are read, on its encoding thread, rather than loading the whole baseline
     * first: a delta then reads only what changed, and a full run neither waits for the load nor keeps
     * a second copy of the baseline in memory.
     */
    static byte[] get(ModuleState state, String profile, String id) {
        return state.get(prefix(profile) + id).orElse(null);
    }

    /** Visits every entry of {@code profile}'s baseline: stable id and compact value. */
    static void forEach(ModuleState state, String profile, BiConsumer<String, byte[]> visitor) {
        String prefix = prefix(profile);
        state.forEach(prefix, (k, v) -> visitor.accept(k.substring(prefix.length()), v));
    }

    /** True when {@code profile} has no baseline: its first sync (or every entry it sent was deleted). */
    static boolean isEmpty(ModuleState state, String profile) {
        try {
            state.forEach(prefix(profile), (k, v) -> {
                throw FoundOne.INSTANCE;
            });
            return true;
        } catch (FoundOne e) {
            return false;
        }
    }

    /** Ends {@link #isEmpty}'s walk at the first entry: the state offers no "any key with this prefix". */
    private static final class FoundOne extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final FoundOne INSTANCE = new FoundOne();

        private FoundOne() {
            super(null, null, false, false);
        }
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
