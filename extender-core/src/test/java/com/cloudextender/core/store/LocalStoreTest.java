package com.cloudextender.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.h2.mvstore.MVMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's file stays near its live data when results come and go, as the outbox's do. */
class LocalStoreTest {
    @TempDir
    Path dir;

    /**
     * The outbox's pattern: each result is written and committed, then moved to the remembered set on its
     * acknowledgement, where it stays for days. Each commit rewrites the pages it touched, so every chunk
     * keeps a little live data and none can be freed without compaction. Retention 0 so that freed space
     * is reusable at once (the default's 45 s would make the test wait).
     */
    private long churn(Path dataDir, boolean compact) throws IOException {
        Random random = new Random(7);
        try (LocalStore store = LocalStore.open(dataDir, 0)) {
            MVMap<String, String> pending = store.map("pending");
            MVMap<String, String> remembered = store.map("remembered");
            byte[] body = new byte[200];
            for (int i = 0; i < 20_000; i++) {
                random.nextBytes(body);
                String id = "cmd-" + i;
                pending.put(id, java.util.Base64.getEncoder().encodeToString(body));
                store.commit();
                remembered.put(id, pending.remove(id));
                store.commit();
                if (compact && i % 1_000 == 999) {
                    store.compact(); // the extender does it every minute: about 1,200 commits at 20 commands/s
                }
            }
            assertEquals(20_000, remembered.size());
        }
        return Files.size(dataDir.resolve("extender.mv.db"));
    }

    @Test
    void compactionKeepsTheFileNearItsLiveDataUnderChurn() throws IOException {
        long without = churn(dir.resolve("plain"), false);
        long with = churn(dir.resolve("compacted"), true);
        // About 5.5 MB is live at the end (20,000 values of 268 characters and their keys).
        assertTrue(with < without / 2, "compacted " + with + " bytes against " + without + " without compaction");
        assertTrue(with < 20L * 1024 * 1024, "compacted file " + with + " bytes");
    }

    @Test
    void aCompactedStoreKeepsEveryLiveValue() {
        try (LocalStore store = LocalStore.open(dir, 0)) {
            MVMap<Integer, String> m = store.map("m");
            for (int i = 0; i < 5_000; i++) {
                m.put(i, "value-" + i + "-".repeat(200));
                store.commit();
                if (i >= 100) {
                    m.remove(i - 100);
                }
            }
            store.commit();
            store.compact();
        }
        try (LocalStore store = LocalStore.open(dir)) {
            MVMap<Integer, String> m = store.map("m");
            assertEquals(100, m.size());
            for (int i = 4_900; i < 5_000; i++) {
                assertEquals("value-" + i + "-".repeat(200), m.get(i));
            }
        }
    }
}
