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
 * The results of changes a module already made, by command id: the cloud may deliver a command again
 * with the same id (after a lost result), and a change such as a removal or a wipe must then return
 * its first result instead of acting again (a second removal would fail, a second wipe would be sent).
 * Kept in {@link ModuleState} under {@code done/<command id>} as the time (8 bytes) and the result
 * text; {@link #prune()} drops entries older than the retention. Thread-safe as the state is.
 */
public final class CommandLog {
    private static final String PREFIX = "done/";

    private final ModuleState state;
    private final Clock clock;
    private final Duration retention;

    public CommandLog(ModuleState state, Clock clock, Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("commands.retention: must be longer than 0");
        }
        this.state = state;
        this.clock = clock;
        this.retention = retention;
    }

    /** The result command {@code id} succeeded with, if it did within the retention. */
    public Optional<String> result(String id) {
        return state.get(PREFIX + id).filter(v -> v.length >= Long.BYTES)
                .map(v -> new String(v, Long.BYTES, v.length - Long.BYTES, StandardCharsets.UTF_8));
    }

    /** Records that command {@code id} succeeded with {@code result}. */
    public void record(String id, String result) {
        byte[] text = result.getBytes(StandardCharsets.UTF_8);
        state.put(PREFIX + id, ByteBuffer.allocate(Long.BYTES + text.length).putLong(clock.millis()).put(text).array());
    }

    /** Drops the results recorded longer ago than the retention; how many were dropped. */
    public int prune() {
        long oldest = clock.millis() - retention.toMillis();
        Set<String> drop = new HashSet<>();
        state.forEach(PREFIX, (k, v) -> {
            if (v.length < Long.BYTES || ByteBuffer.wrap(v).getLong() < oldest) {
                drop.add(k);
            }
        });
        if (!drop.isEmpty()) {
            state.update(Map.of(), drop);
        }
        return drop.size();
    }
}
