package com.cloudextender.modules.directory.sync;

import java.util.HashSet;
import java.util.Set;

/**
 * The stable ids a sync run has seen. Ids in the canonical lower-case UUID form (entryUUID, and
 * objectGUID as {@code StableIds} prints it), which is nearly every id, are kept as two {@code long}s
 * in an open-addressing table: 16 bytes an id instead of a {@code String} and a hash-set node (about
 * 100 bytes), so a million ids fit in 32 MB and the GC has two arrays to look at instead of millions
 * of objects. Any other id is kept as its text, so membership is always exact. Not thread-safe.
 */
final class IdSet {
    private static final int UUID_LENGTH = 36;
    private static final float LOAD = 0.5f;

    private final Set<String> others = new HashSet<>();
    /** Pairs (high, low); a pair of zeros marks a free slot, so the nil UUID is kept apart. */
    private long[] slots = new long[2 * 1024];
    private int uuids;
    private boolean nil;

    /** Adds {@code id}; true when it was not there yet. */
    boolean add(String id) {
        if (!isUuid(id)) {
            return others.add(id);
        }
        long hi = hexLong(id, 0);
        long lo = hexLong(id, 19);
        if (hi == 0 && lo == 0) {
            boolean added = !nil;
            nil = true;
            return added;
        }
        if (uuids + 1 > (slots.length / 2) * LOAD) {
            grow();
        }
        if (!insert(slots, hi, lo)) {
            return false;
        }
        uuids++;
        return true;
    }

    /** True when {@code id} was added. */
    boolean contains(String id) {
        if (!isUuid(id)) {
            return others.contains(id);
        }
        long hi = hexLong(id, 0);
        long lo = hexLong(id, 19);
        if (hi == 0 && lo == 0) {
            return nil;
        }
        int mask = slots.length / 2 - 1;
        for (int i = slot(hi, lo, mask); ; i = (i + 1) & mask) {
            long h = slots[2 * i];
            long l = slots[2 * i + 1];
            if (h == 0 && l == 0) {
                return false;
            }
            if (h == hi && l == lo) {
                return true;
            }
        }
    }

    /** How many ids were added. */
    int size() {
        return uuids + (nil ? 1 : 0) + others.size();
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != 0 || slots[i + 1] != 0) {
                insert(bigger, slots[i], slots[i + 1]);
            }
        }
        slots = bigger;
    }

    /** Linear probing; false when the pair is already in {@code table}. */
    private static boolean insert(long[] table, long hi, long lo) {
        int mask = table.length / 2 - 1;
        for (int i = slot(hi, lo, mask); ; i = (i + 1) & mask) {
            long h = table[2 * i];
            long l = table[2 * i + 1];
            if (h == 0 && l == 0) {
                table[2 * i] = hi;
                table[2 * i + 1] = lo;
                return true;
            }
            if (h == hi && l == lo) {
                return false;
            }
        }
    }

    private static int slot(long hi, long lo, int mask) {
        // UUIDs are mostly random, but time-based ones (version 1) share most bits: mix them all.
        long x = (hi ^ Long.rotateLeft(lo, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 29)) & mask;
    }

    /**
     * True for {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} in lower-case hex only: the one text each
     * 128-bit value has, so that two different ids never share a pair of longs.
     */
    static boolean isUuid(String s) {
        if (s.length() != UUID_LENGTH) {
            return false;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** 16 hex digits from {@code from}, skipping dashes. */
    private static long hexLong(String s, int from) {
        long v = 0;
        int digits = 0;
        for (int i = from; digits < 16; i++) {
            char c = s.charAt(i);
            if (c != '-') {
                v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
                digits++;
            }
        }
        return v;
    }
}
