package com.cloudextender.modules.directory.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a running sync's progress (entries read and rate) at most every few seconds. Not thread-safe. */
final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final String profile;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private long entries;

    Progress(String profile) {
        this.profile = profile;
    }

    void entry() {
        entries++;
        long now = System.nanoTime();
        if (now - lastLog >= EVERY_NANOS) {
            lastLog = now;
            LOG.info("Directory sync of profile {}: {} entries read ({} entries/s)", profile, entries, rate(now));
        }
    }

    long entries() {
        return entries;
    }

    long rate(long now) {
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        return Math.round(entries / seconds);
    }

    long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
