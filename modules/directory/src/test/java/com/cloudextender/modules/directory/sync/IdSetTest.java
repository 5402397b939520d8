package com.cloudextender.modules.directory.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdSetTest {
    @Test
    void keepsUuidsAndOtherIdsApartAndExact() {
        IdSet set = new IdSet();
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assertTrue(set.add(uuid));
        assertFalse(set.add(uuid));
        assertTrue(set.contains(uuid));
        // The same value in upper case is another id: ids are compared as text.
        assertFalse(set.contains(uuid.toUpperCase()));
        assertTrue(set.add(uuid.toUpperCase()));
        assertTrue(set.add("cn=not-a-uuid"));
        assertTrue(set.contains("cn=not-a-uuid"));
        assertFalse(set.contains("0f8fad5b-d9cb-469f-a165-70867728950f"));
        assertTrue(set.add("00000000-0000-0000-0000-000000000000"));
        assertFalse(set.add("00000000-0000-0000-0000-000000000000"));
        assertEquals(4, set.size());
    }

    @Test
    void agreesWithAHashSetAcrossGrowth() {
        Random random = new Random(42);
        IdSet set = new IdSet();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            assertEquals(expected.add(id), set.add(id));
            // Time-based UUIDs differ in few bits.
            String timed = new UUID(0x1000L + i % 7_000, 0x8000_0000_0000_0000L).toString();
            assertEquals(expected.add(timed), set.add(timed));
        }
        assertEquals(expected.size(), set.size());
        for (String id : expected) {
            assertTrue(set.contains(id), id);
        }
        assertFalse(set.contains(new UUID(random.nextLong(), random.nextLong()).toString()));
    }

    @Test
    void recognisesOnlyTheCanonicalLowerCaseForm() {
        assertTrue(IdSet.isUuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assertFalse(IdSet.isUuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
        assertFalse(IdSet.isUuid("0f8fad5bd-9cb-469f-a165-70867728950e"));
        assertFalse(IdSet.isUuid("0f8fad5b-d9cb-469f-a165-70867728950"));
        assertFalse(IdSet.isUuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
    }
}
