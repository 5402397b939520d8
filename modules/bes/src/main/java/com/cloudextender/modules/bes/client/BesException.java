package com.cloudextender.modules.bes.client;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import java.util.Set;

/**
 * A BWS call that failed, with a reason the cloud can act on; the message names the operation and what
 * the server said. Reasons about the input ({@code NOT_FOUND}, {@code INVALID_PARAMETER}) end a command
 * with {@link ErrorCode#INVALID_ARGUMENTS}, the others with {@link ErrorCode#MODULE_FAILURE}.
 */
public final class BesException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final Set<String> INPUT = Set.of("NOT_FOUND", "INVALID_PARAMETER", "AMBIGUOUS");

    private final String reason;

    public BesException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BesException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The reason: NOT_FOUND, INVALID_PARAMETER, AMBIGUOUS, AUTHENTICATION, SOAP_FAULT, NOT_SOAP, HTTP_ERROR,
     *  TIMEOUT, UNREACHABLE, TLS, FAILED, NOT_APPLIED. */
    public String reason() {
        return reason;
    }

    /** The command failure: the reason first, then the message. */
    public CommandException toCommandException() {
        ErrorCode code = INPUT.contains(reason) ? ErrorCode.INVALID_ARGUMENTS : ErrorCode.MODULE_FAILURE;
        return new CommandException(code, reason + ": " + getMessage(), this);
    }
}
