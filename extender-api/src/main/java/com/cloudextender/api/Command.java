package com.cloudextender.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One command from the cloud, as an action sees it. Immutable and thread-safe.
 *
 * @param id        the cloud's command id; unique per command, reused only when the cloud redelivers it
 * @param module    the module the command is for, for example {@code core} or {@code directory}
 * @param action    the action within the module, for example {@code ping}
 * @param arguments the arguments as a JSON object text, never {@code null} ({@code {}} when there are none)
 * @param timeout   how long the action may run before it is cancelled
 */
public record Command(String id, String module, String action, String arguments, Duration timeout) {
    public Command {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(timeout, "timeout");
    }
}
