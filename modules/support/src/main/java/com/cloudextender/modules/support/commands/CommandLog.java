package com.cloudextender.modules.support.commands;

import com.cloudextender.api.ModuleState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The results of changes a module already made, by command id, so that a command the cloud redelivers
 * (same id) returns its first result instead of changing the server again (a second wipe). Kept in
 * {@link ModuleState} as {@code done/<command id>}: 8 bytes of time, then the result text. Entries older
 * than the retention are dropped by {@link #prune()}. A change that failed is not recorded, so its
 * redelivery runs again. Thread-safe as the state is.
 */
public final class CommandLog {
    private static final String PREFIX = "done/";

    private final ModuleState state;
    private final Clock clock;
    private final Duration retention;

    public CommandLog(ModuleState state, Clock clock, Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("commands.retention must not be negative: " + retention);
        }
        this.state = state;
        this.clock = clock;
        this.retention = retention;
    }

    /** The stored result of command {@code id}, if it already ran to success. */
    public Optional<String> result(String id) {
        return state.get(PREFIX + id).filter(v -> v.length >= 8)
                .map(v -> new String(v, 8, v.length - 8, StandardCharsets.UTF_8));
    }

    /** Remembers command {@code id}'s result. */
    public void record(String id, String result) {
        byte[] text = result.getBytes(StandardCharsets.UTF_8);
        state.put(PREFIX + id, ByteBuffer.allocate(8 + text.length).putLong(clock.millis()).put(text).array());
    }

    /** Drops results older than the retention; how many. */
    public int prune() {
        long oldest = clock.millis() - retention.toMillis();
        Set<String> old = new HashSet<>();
        state.forEach(PREFIX, (k, v) -> {
            if (v.length < 8 || ByteBuffer.wrap(v).getLong() < oldest) {
                old.add(k);
            }
        });
        if (!old.isEmpty()) {
            state.update(Map.of(), old);
        }
        return old.size();
    }
}
