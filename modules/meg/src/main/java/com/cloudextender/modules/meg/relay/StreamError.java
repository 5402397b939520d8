package com.cloudextender.modules.meg.relay;

/**
 * The typed errors a stream ends with, sent in {@link RelayProtocol#ERROR} with the HTTP status when
 * the response has not started (after that, the stream is reset with INTERNAL_ERROR).
 */
public enum StreamError {
    /** The allow list refused the target; {@link RelayProtocol#REASON} says why. */
    REFUSED("refused-by-allowlist", 403),
    /** The request is malformed (pseudo-headers, characters, a Host that disagrees). */
    BAD_REQUEST("bad-request", 400),
    /** The name does not resolve, or no address accepted the connection. */
    UNREACHABLE("unreachable", 502),
    /** The target's TLS handshake or certificate failed. */
    TLS("tls", 502),
    /** Connect, idle or overall time limit. */
    TIMEOUT("timeout", 504),
    /** The target closed or broke the connection before its response ended. */
    TARGET_CLOSED("target-closed", 502),
    /** A stream limit of this extender is reached. */
    LIMIT("limit", 503);

    private final String wireName;
    private final int status;

    StreamError(String wireName, int status) {
        this.wireName = wireName;
        this.status = status;
    }

    public String wireName() {
        return wireName;
    }

    public int status() {
        return status;
    }
}
