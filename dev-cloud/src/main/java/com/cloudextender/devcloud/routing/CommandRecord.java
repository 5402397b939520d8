package com.cloudextender.devcloud.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.devcloud.CommandOutcome;

/** A pending command and its delivery state; guarded by the {@link CommandRouter}'s lock. */
final class CommandRecord {
    final String id;
    final CommandTarget target;
    final String module;
    final String action;
    final String arguments;
    final Long timeoutMillis;
    final long startNanos = System.nanoTime();
    final CompletableFuture<CommandOutcome> outcome = new CompletableFuture<>();
    ScheduledFuture<?> deadline;
    /** The extender the current delivery went to; null while no delivery is under way. */
    String assignedTo;
    /** The extender of the latest delivery, kept after it fails, for the outcome of a local timeout. */
    String lastSentTo;
    /** Incremented per delivery, so that the answer to an older delivery is recognised and ignored. */
    int attempt;
    boolean accepted;

    CommandRecord(String id, CommandTarget target, String module, String action, String arguments, Long timeoutMillis) {
        this.id = id;
        this.target = target;
        this.module = module;
        this.action = action;
        this.arguments = arguments;
        this.timeoutMillis = timeoutMillis;
    }

    CommandIq toIq() {
        return new CommandIq(id, module, action, timeoutMillis, arguments);
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    CommandStatus status(CommandOutcome done) {
        return new CommandStatus(id, target, module, action, lastSentTo, attempt, accepted, done);
    }
}
