package com.cloudextender.modules.traveler.api;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;

/** A typed failure talking to Traveler, with a message for the administrator that names what was wrong. */
public final class TravelerException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure; the message of a command failure starts with it. */
    public enum Reason {
        /** No device has the given device id (for the given user, when one was given). */
        UNKNOWN_DEVICE,
        /** The given user has no device on the server. */
        UNKNOWN_USER,
        /** A device id is registered for several users: the user must be named too. */
        AMBIGUOUS_DEVICE,
        /** A parameter has the wrong form, or the server refused it as a bad request. */
        INVALID_PARAMETER,
        /** The device does not support what was asked (for example a wipe option). */
        UNSUPPORTED,
        /** The server answered with an error status; the message quotes it. */
        SERVER_ERROR,
        /** The server answered with something that is not the JSON its API returns (an HTML page, say). */
        GARBAGE,
        /** The server refused the Domino credentials. */
        AUTHENTICATION,
        /** The account lacks the access (the Administrator role in LotusTraveler.nsf) the request needs. */
        PERMISSION,
        /** The server could not be reached, or TLS failed. */
        UNREACHABLE,
        /** The server did not answer within the time limit. */
        TIMEOUT,
        /** The server accepted the change but reading the device again shows it did not happen. */
        NOT_APPLIED
    }

    private final Reason reason;
    private int httpStatus;

    public TravelerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TravelerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Records the HTTP status the server answered with. */
    TravelerException withStatus(int status) {
        this.httpStatus = status;
        return this;
    }

    /** The HTTP status of the server's answer, or 0 when the failure was not an HTTP error status. */
    public int httpStatus() {
        return httpStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** The command failure this is: bad input is INVALID_ARGUMENTS, the rest MODULE_FAILURE. */
    public CommandException toCommandException() {
        ErrorCode code = switch (reason) {
            case UNKNOWN_DEVICE, UNKNOWN_USER, AMBIGUOUS_DEVICE, INVALID_PARAMETER, UNSUPPORTED -> ErrorCode.INVALID_ARGUMENTS;
            default -> ErrorCode.MODULE_FAILURE;
        };
        return new CommandException(code, reason + ": " + getMessage(), this);
    }

    /** The message with its reason first, as command failures carry it. */
    public String describe() {
        return reason + ": " + getMessage();
    }
}
