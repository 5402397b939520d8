package com.cloudextender.api;

import java.util.Objects;

/**
 * The outcome of one command: either a JSON payload or a typed error. Immutable and thread-safe.
 *
 * @param errorCode {@code null} when the command succeeded
 * @param payload   the result as JSON text; for an error, a JSON object with at least {@code message}
 */
public record CommandResult(ErrorCode errorCode, String payload) {
    public CommandResult {
        Objects.requireNonNull(payload, "payload");
    }

    /** A successful result carrying {@code jsonPayload} (a JSON value, usually an object). */
    public static CommandResult ok(String jsonPayload) {
        return new CommandResult(null, jsonPayload);
    }

    /** A failed result; {@code message} is meant for the administrator reading the cloud console. */
    public static CommandResult error(ErrorCode code, String message) {
        Objects.requireNonNull(code, "code");
        return new CommandResult(code, "{\"message\":" + Json.quote(message) + "}");
    }

    /** True when the command succeeded. */
    public boolean isOk() {
        return errorCode == null;
    }
}
