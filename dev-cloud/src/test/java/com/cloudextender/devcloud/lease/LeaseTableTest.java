package com.cloudextender.devcloud.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LeaseTableTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private final LeaseTable table = new LeaseTable(Duration.ofSeconds(15), now::get);

    @Test
    void oneHolderAtATimeAndARenewalKeepsTheGeneration() {
        LeaseTable.Answer first = table.acquire("acme", "ext-1", "directory.sync");
        assertTrue(first.held());
        assertEquals(1, first.generation());
        assertEquals(15_000, first.termMillis());

        now.addAndGet(10_000 * MS);
        LeaseTable.Answer other = table.acquire("acme", "ext-2", "directory.sync");
        assertFalse(other.held());
        assertEquals("ext-1", other.holder());
        assertEquals(5_000, other.retryMillis(), "asking again makes sense when the holder's term ends");

        LeaseTable.Answer renewal = table.acquire("acme", "ext-1", "directory.sync");
        assertTrue(renewal.held());
        assertEquals(1, renewal.generation());
        now.addAndGet(14_999 * MS);
        assertFalse(table.acquire("acme", "ext-2", "directory.sync").held(), "the renewal restarted the term");
        assertEquals(1, table.grants().size());
    }

    @Test
    void anExpiredLeaseMovesWithANewGenerationAndOlderFencesGoStale() {
        table.acquire("acme", "ext-1", "directory.sync");
        now.addAndGet(15_000 * MS);
        LeaseTable.Answer takeover = table.acquire("acme", "ext-2", "directory.sync");
        assertTrue(takeover.held());
        assertEquals(2, takeover.generation());
        String stale = table.staleReason("acme", "directory.sync", 1);
        assertNotNull(stale);
        assertTrue(stale.contains("generation 1 is stale") && stale.contains("ext-2"), stale);
        assertNull(table.staleReason("acme", "directory.sync", 2));
        assertNull(table.staleReason("acme", "other.lease", 1), "a lease never granted fences nothing");
        assertEquals("ext-2", table.grants().get(1).extenderId());
    }

    @Test
    void theSameExtenderAfterItsTermRanOutGetsANewGeneration() {
        table.acquire("acme", "ext-1", "directory.sync");
        now.addAndGet(20_000 * MS);
        assertEquals(2, table.acquire("acme", "ext-1", "directory.sync").generation());
    }

    @Test
    void aReleasedLeaseIsGrantedAtOnceAndCustomersAndNamesAreSeparate() {
        table.acquire("acme", "ext-1", "directory.sync");
        assertTrue(table.acquire("globex", "ext-9", "directory.sync").held(), "another customer's lease");
        assertTrue(table.acquire("acme", "ext-2", "exchange.devices").held(), "another lease of the customer");
        assertFalse(table.release("acme", "ext-2", "directory.sync"), "only the holder releases");
        assertTrue(table.release("acme", "ext-1", "directory.sync"));
        LeaseTable.Answer next = table.acquire("acme", "ext-2", "directory.sync");
        assertTrue(next.held());
        assertEquals(2, next.generation());
        assertTrue(table.holder("acme", "directory.sync").filter("ext-2"::equals).isPresent());
    }
}
