package com.cloudextender.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installed extender keeps its store across upgrades: a store file written by the previous MVStore release
 * (fixture {@code store/written-by-h2-mvstore-2.3.232.mv.db}: 300 byte[] values under String keys, String
 * values, Long keys with some removed, and a removed single-writer map) opens with the current one, reads the
 * same, and takes writes and a compaction. Replace the fixture's release only after checking the new one
 * reads it.
 */
class LocalStoreFormatTest {
    @TempDir
    Path dir;

    @Test
    void aStoreWrittenByThePreviousMvStoreReleaseOpensReadsAndTakesWrites() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/store/written-by-h2-mvstore-2.3.232.mv.db")) {
            Files.copy(in, dir.resolve("extender.mv.db"));
        }
        try (LocalStore store = LocalStore.open(dir)) {
            MVMap<String, byte[]> state = store.map("module-state/directory");
            assertEquals(300, state.size());
            assertArrayEquals("value-299".getBytes(StandardCharsets.UTF_8), state.get("baseline/corp/id-299"));
            MVMap<String, String> identity = store.map("identity");
            assertEquals("ext-42", identity.get("extenderId"));
            MVMap<Long, String> outbox = store.map("outbox");
            assertEquals(40, outbox.size());
            assertEquals(20L, outbox.firstKey());
            assertEquals("{\"result\":59}", outbox.get(59L));
            state.put("baseline/corp/new", new byte[] {9});
            store.commit();
            store.compact();
        }
        try (LocalStore store = LocalStore.open(dir)) {
            MVMap<String, byte[]> state = store.map("module-state/directory");
            assertEquals(301, state.size());
            assertArrayEquals(new byte[] {9}, state.get("baseline/corp/new"));
            assertFalse(store.<String, byte[]>map("rewrite-scratch").containsKey("a"), "a removed map stays removed");
        }
    }
}
