package com.cloudextender.api;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A module's own durable key-value state (sync baselines, watermarks, cookies) in the extender's local
 * database. Survives restarts and upgrades of the module; removed with the module. Every write is
 * durable when the method returns, and {@link #update} is atomic: after a crash either all of it or
 * none of it is there. Thread-safe.
 */
public interface ModuleState {
    /** The value stored under {@code key}. */
    Optional<byte[]> get(String key);

    /** Stores {@code value} under {@code key}, durably. */
    void put(String key, byte[] value);

    /** Removes {@code key}, durably. */
    void remove(String key);

    /** Applies {@code puts} and {@code removals} as one atomic, durable step. */
    void update(Map<String, byte[]> puts, Set<String> removals);

    /** Visits every key starting with {@code prefix}, in key order, with its value. */
    void forEach(String prefix, BiConsumer<String, byte[]> visitor);
}
