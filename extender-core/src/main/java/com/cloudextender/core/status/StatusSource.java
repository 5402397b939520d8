package com.cloudextender.core.status;

import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import com.cloudextender.core.channel.ChannelState;
import com.cloudextender.core.command.LatencyHistogram;

/**
 * What the status page reads from the running extender, each time a page is asked for. A record of
 * functions, so that tests can give fixed values without an extender.
 *
 * @param report         the {@code core/status} report (extender id, channel, modules, commands, outbox)
 * @param channelState   the channel's state now, for {@code /ready}
 * @param queuedCommands commands waiting for a worker
 * @param commandLatency durations of finished commands
 */
public record StatusSource(Supplier<Map<String, Object>> report, Supplier<ChannelState> channelState,
        IntSupplier queuedCommands, Supplier<LatencyHistogram.Snapshot> commandLatency) {
    public StatusSource {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(channelState, "channelState");
        Objects.requireNonNull(queuedCommands, "queuedCommands");
        Objects.requireNonNull(commandLatency, "commandLatency");
    }
}
