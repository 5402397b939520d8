package com.cloudextender.core.channel;

import java.time.Instant;

/**
 * A snapshot of the channel for status reports. Immutable.
 *
 * @param lastError the cause of the last failure, readable by an administrator, or {@code null}
 * @param attempts  failed attempts since the last successful connect
 * @param nextAttempt when the next attempt is due, or {@code null}
 */
public record ChannelStatus(ChannelState state, Instant since, String lastError, int attempts, Instant nextAttempt,
        boolean resumed) {
}
