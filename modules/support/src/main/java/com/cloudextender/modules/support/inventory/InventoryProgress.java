package com.cloudextender.modules.support.inventory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a running inventory read's progress (items and rate) at most every few seconds. Not thread-safe. */
final class InventoryProgress {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryProgress.class);

    private final String label;
    private final long everyNanos;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private long items;
    private long logged;

    InventoryProgress(String label, long everyNanos) {
        this.label = label;
        this.everyNanos = everyNanos;
    }

    void item() {
        items++;
        long now = System.nanoTime();
        if (now - lastLog >= everyNanos) {
            lastLog = now;
            logged++;
            LOG.info("{}: {} items read ({} items/s)", label, items, Math.round(items / Math.max(1e-3, (now - start) / 1e9)));
        }
    }

    long items() {
        return items;
    }

    /** How many progress lines were logged. */
    long logged() {
        return logged;
    }

    long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
