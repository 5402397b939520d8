package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.store.LocalStore;

/**
 * A module's state gives the same content whether an update edits the map or, being large, rewrites it,
 * and a rewrite is all-or-nothing: a failure half-way leaves the state and the file as they were.
 */
class StoreModuleStateTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code n} puts in key order, key and value of each made from its index. */
    private static Map<String, byte[]> puts(int n, IntFunction<String> key, IntFunction<String> value) {
        Map<String, byte[]> puts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            puts.put(key.apply(i), bytes(value.apply(i)));
        }
        return puts;
    }

    private static Map<String, String> content(StoreModuleState state) {
        Map<String, String> all = new TreeMap<>();
        state.forEach("", (k, v) -> all.put(k, new String(v, StandardCharsets.UTF_8)));
        return all;
    }

    /** Random edits of either size against a plain map: the large ones take the rewrite. */
    @Test
    void largeAndSmallUpdatesLeaveWhatAPlainMapWould() {
        Random random = new Random(11);
        Map<String, String> expected = new TreeMap<>();
        try (LocalStore store = LocalStore.open(dir)) {
            StoreModuleState state = new StoreModuleState(store, "directory");
            for (int round = 0; round < 12; round++) {
                int n = round % 3 == 0 ? 3 * StoreModuleState.REWRITE_MIN_PUTS : 40;
                Map<String, byte[]> puts = new HashMap<>(); // unsorted on purpose: the rewrite sorts it
                Set<String> removals = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    String key = "baseline/p/" + random.nextInt(6_000);
                    String value = "r" + round + "-" + i;
                    puts.put(key, bytes(value));
                }
                List<String> present = new ArrayList<>(expected.keySet());
                for (int i = 0; i < n / 4 && !present.isEmpty(); i++) {
                    removals.add(present.get(random.nextInt(present.size())));
                }
                removals.add(puts.keySet().iterator().next()); // in both: removed, as the small path does
                puts.forEach((k, v) -> expected.put(k, new String(v, StandardCharsets.UTF_8)));
                removals.forEach(expected::remove);
                state.update(puts, removals);
                assertEquals(expected, content(state), "after round " + round);
            }
        }
        try (LocalStore store = LocalStore.open(dir)) {
            assertEquals(expected, content(new StoreModuleState(store, "directory")), "after reopening");
        }
    }

    @Test
    void aRewriteKeepsTheValuesItWasGivenNotTheCallersArrays() {
        try (LocalStore store = LocalStore.open(dir)) {
            StoreModuleState state = new StoreModuleState(store, "m");
            Map<String, byte[]> puts = puts(StoreModuleState.REWRITE_MIN_PUTS, i -> "k" + i, i -> "v" + i);
            state.update(puts, Set.of());
            puts.get("k7")[0] = 'X';
            assertArrayEquals(bytes("v7"), state.get("k7").orElseThrow());
        }
    }

    /** Sorted puts whose iteration fails part-way through, as an out-of-memory error would. */
    private static final class FailingPuts extends TreeMap<String, byte[]> {
        private static final long serialVersionUID = 1L;
        private final int failAfter;

        FailingPuts(Map<String, byte[]> real, int failAfter) {
            super(real);
            this.failAfter = failAfter;
        }

        @Override
        public Set<Map.Entry<String, byte[]>> entrySet() {
            Set<Map.Entry<String, byte[]>> real = super.entrySet();
            return new java.util.AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, byte[]>> iterator() {
                    Iterator<Map.Entry<String, byte[]>> it = real.iterator();
                    return new Iterator<>() {
                        int given;

                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Map.Entry<String, byte[]> next() {
                            if (given++ == failAfter) {
                                throw new IllegalStateException("failed part-way");
                            }
                            return it.next();
                        }
                    };
                }

                @Override
                public int size() {
                    return real.size();
                }
            };
        }
    }

    @Test
    void aRewriteThatFailsHalfWayLeavesTheStateAndTheFileAsTheyWere() {
        Map<String, String> before;
        try (LocalStore store = LocalStore.open(dir)) {
            StoreModuleState state = new StoreModuleState(store, "directory");
            state.put("cookie", bytes("c1"));
            state.put("baseline/p/1", bytes("old"));
            before = content(state);
            Map<String, byte[]> puts = puts(2 * StoreModuleState.REWRITE_MIN_PUTS, i -> "baseline/p/" + i,
                    i -> "new" + i);
            // Sorted already, so it is merged as it is: the failure comes while the new map is being filled.
            assertThrows(IllegalStateException.class,
                    () -> state.update(new FailingPuts(puts, StoreModuleState.REWRITE_MIN_PUTS), Set.of("cookie")));
            assertEquals(before, content(state));
            state.put("other", bytes("x")); // a later commit must not publish any of the failed rewrite
            before = content(state);
        }
        try (LocalStore store = LocalStore.open(dir)) {
            assertEquals(before, content(new StoreModuleState(store, "directory")));
        }
        try (MVStore raw = new MVStore.Builder().fileName(dir.resolve("extender.mv.db").toString()).readOnly().open()) {
            assertFalse(raw.getMapNames().stream().anyMatch(n -> n.contains("#")), "maps: " + raw.getMapNames());
        }
    }

    /** A rewrite map left in the file (only possible if a commit ever slipped in) is never the live state. */
    @Test
    void anUnfinishedRewriteFoundAtStartIsDropped() {
        try (MVStore raw = new MVStore.Builder().fileName(dir.resolve("extender.mv.db").toString()).open()) {
            MVMap<String, byte[]> live = raw.openMap(StoreModuleState.MAP_PREFIX + "directory");
            live.put("cookie", bytes("live"));
            MVMap<String, byte[]> left = raw.openMap(StoreModuleState.MAP_PREFIX + "directory#rewrite");
            left.put("cookie", bytes("half"));
            raw.commit();
        }
        try (LocalStore store = LocalStore.open(dir)) {
            assertArrayEquals(bytes("live"), new StoreModuleState(store, "directory").get("cookie").orElseThrow());
        }
        try (MVStore raw = new MVStore.Builder().fileName(dir.resolve("extender.mv.db").toString()).readOnly().open()) {
            assertTrue(raw.getMapNames().contains(StoreModuleState.MAP_PREFIX + "directory"));
            assertFalse(raw.hasMap(StoreModuleState.MAP_PREFIX + "directory#rewrite"));
        }
    }

    /** A reader that started before a rewrite goes on reading the state as it was, without an error. */
    @Test
    void aWalkThatStartedBeforeARewriteSeesTheOldState() {
        try (LocalStore store = LocalStore.open(dir)) {
            StoreModuleState state = new StoreModuleState(store, "directory");
            Map<String, byte[]> first = puts(StoreModuleState.REWRITE_MIN_PUTS,
                    i -> String.format("baseline/p/%05d", i), i -> "a");
            state.update(first, Set.of());
            int[] seen = {0};
            state.forEach("baseline/", (k, v) -> {
                if (seen[0]++ == 10) {
                    Map<String, byte[]> second = new TreeMap<>();
                    first.keySet().forEach(key -> second.put(key, bytes("b")));
                    state.update(second, Set.of());
                }
                assertArrayEquals(bytes("a"), v, k);
            });
            assertEquals(StoreModuleState.REWRITE_MIN_PUTS, seen[0]);
            assertArrayEquals(bytes("b"), state.get("baseline/p/00000").orElseThrow());
        }
    }
}
