package com.cloudextender.api;

/**
 * The typed errors a command can end with. The names travel on the wire (see docs/PROTOCOL.md), so
 * they never change meaning; new codes may be added.
 */
public enum ErrorCode {
    /** The command names a module that is not installed or not enabled on this extender. */
    UNKNOWN_MODULE,
    /** The module exists but does not offer the named action. */
    UNKNOWN_ACTION,
    /** The arguments are not a JSON object, or miss or mistype a field the action needs. */
    INVALID_ARGUMENTS,
    /** The action started but failed; the message says why. */
    MODULE_FAILURE,
    /** The action did not finish within the command's time limit and was cancelled. */
    TIMEOUT,
    /** The extender's work queue is full; the cloud may retry here later or on another extender. */
    BUSY,
    /** The sender is not one of the configured cloud addresses. */
    NOT_AUTHORISED,
    /** The command stanza itself is malformed (missing id, module or action). */
    MALFORMED,
    /** The arguments exceed the configured size limit. */
    TOO_LARGE
}
