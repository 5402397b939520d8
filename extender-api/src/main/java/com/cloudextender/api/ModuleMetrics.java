package com.cloudextender.api;

import java.time.Duration;

/**
 * Counters and timings of a module, reported by the host in health reports, on the status page and as
 * metrics, each named {@code <module>.<name>}. Cheap enough to call on every command. Thread-safe.
 */
public interface ModuleMetrics {
    /** Adds {@code delta} to the counter {@code name}. */
    void count(String name, long delta);

    /** Records one timing of {@code name}. */
    void time(String name, Duration elapsed);
}
