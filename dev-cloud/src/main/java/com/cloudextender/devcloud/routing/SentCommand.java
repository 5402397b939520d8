package com.cloudextender.devcloud.routing;

import java.util.concurrent.CompletableFuture;

import com.cloudextender.devcloud.CommandOutcome;

/**
 * A command just created: its id, known at once, and its outcome, known later.
 *
 * @param commandId the command id
 * @param outcome completes with the outcome; never fails
 */
public record SentCommand(String commandId, CompletableFuture<CommandOutcome> outcome) {
}
