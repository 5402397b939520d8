package com.cloudextender.modules.exchange.cmdlet;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;

/**
 * A typed failure talking to Exchange, with a message for the administrator that names what was wrong.
 */
public final class ExchangeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure; travels in results as {@code reason}. */
    public enum Reason {
        /** No device has the given DeviceId (or identity). */
        UNKNOWN_DEVICE,
        /** No mailbox has the given identity. */
        UNKNOWN_MAILBOX,
        /** A DeviceId matches several partnerships: the mailbox must be named too. */
        AMBIGUOUS_DEVICE,
        /** Another object (policy, rule) does not exist. */
        NOT_FOUND,
        /** A parameter has the wrong type or form. */
        INVALID_PARAMETER,
        /** The server refused or failed the request; the message quotes it. */
        SERVER_ERROR,
        /** The server answered with something that is not what its protocol says. */
        GARBAGE,
        /** The certificate for app-only authentication has expired (or is not yet valid). */
        CERTIFICATE_EXPIRED,
        /** Authentication failed (wrong app, tenant or certificate, or credentials refused). */
        AUTHENTICATION,
        /** The account lacks a role the cmdlet needs. */
        PERMISSION,
        /** The server kept throttling after the retries. */
        THROTTLED,
        /** The server could not be reached, or the PowerShell host failed. */
        UNREACHABLE,
        /** The request took longer than its time limit. */
        TIMEOUT,
        /** The request queue is full. */
        BUSY,
        /** The server accepted the request but the re-read shows the change did not happen. */
        NOT_APPLIED,
        /** The server does not support this (for example an account-only wipe on Exchange 2010). */
        UNSUPPORTED
    }

    private final Reason reason;

    public ExchangeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ExchangeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The command failure this is: bad input is INVALID_ARGUMENTS, the rest MODULE_FAILURE or BUSY. */
    public CommandException toCommandException() {
        ErrorCode code = switch (reason) {
            case UNKNOWN_DEVICE, UNKNOWN_MAILBOX, AMBIGUOUS_DEVICE, NOT_FOUND, INVALID_PARAMETER, UNSUPPORTED ->
                    ErrorCode.INVALID_ARGUMENTS;
            case BUSY -> ErrorCode.BUSY;
            default -> ErrorCode.MODULE_FAILURE;
        };
        return new CommandException(code, reason + ": " + getMessage());
    }
}
