package com.cloudextender.api;

import java.util.Objects;

/**
 * Thrown by an action to end its command with a specific {@link ErrorCode}, for example
 * {@link ErrorCode#INVALID_ARGUMENTS}. Any other exception becomes {@link ErrorCode#MODULE_FAILURE}.
 */
public class CommandException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public CommandException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public CommandException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The error code the command ends with. */
    public ErrorCode code() {
        return code;
    }
}
