package com.cloudextender.modules.example;

import com.cloudextender.api.ModuleState;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A durable counter in the module's state, under key {@code count}, as decimal text. Increments are
 * serialised here because handlers run concurrently and the state has no compare-and-set.
 */
final class Counter {
    static final String KEY = "count";
    private final ModuleState state;

    Counter(ModuleState state) {
        this.state = state;
    }

    /** Adds one, durably, and returns the new value. */
    synchronized long increment() {
        long next = current() + 1;
        state.put(KEY, Long.toString(next).getBytes(StandardCharsets.UTF_8));
        return next;
    }

    /** The stored value, 0 when none. */
    synchronized long current() {
        Optional<byte[]> stored = state.get(KEY);
        if (stored.isEmpty()) {
            return 0;
        }
        String text = new String(stored.get(), StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("state key [" + KEY + "] holds '" + text + "', not a number; remove the "
                    + "module's state to reset it");
        }
    }
}
