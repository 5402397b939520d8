package com.cloudextender.modules.support.inventory;

import com.cloudextender.api.ModuleState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The compact record of what the cloud was last sent for one inventory: per item id, the first 8 bytes
 * of the SHA-256 of the item's content, never the item itself. Kept in {@link ModuleState} under
 * {@code inventory/<name>/base/<id>}. 8 bytes make an accidental collision (a change not sent) about
 * one in 10^19 per change.
 */
final class HashBaseline {
    static final int SIZE = 8;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(HashBaseline::newDigest);

    private final ModuleState state;
    private final String prefix;

    HashBaseline(ModuleState state, String inventory) {
        this.state = state;
        this.prefix = "inventory/" + inventory + "/base/";
    }

    /** The state key of {@code id}. */
    String key(String id) {
        return prefix + id;
    }

    /** The stored digest of {@code id}, or null when the cloud never got it. */
    byte[] get(String id) {
        return state.get(key(id)).orElse(null);
    }

    /** Visits every stored id with its digest, in key order. */
    void forEach(BiConsumer<String, byte[]> visitor) {
        state.forEach(prefix, (k, v) -> visitor.accept(k.substring(prefix.length()), v));
    }

    /** The baseline value of content {@code bytes[from, to)}. */
    static byte[] digest(byte[] bytes, int from, int to) {
        MessageDigest d = SHA256.get();
        d.reset();
        d.update(bytes, from, to - from);
        return Arrays.copyOf(d.digest(), SIZE);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
