package com.cloudextender.core.diagnose;

/**
 * A probe of the outside world (cloud, proxy, directory) failed. The message says in plain words what
 * happened and what to check; {@link #kind()} lets callers map it to an exit code.
 */
public final class ProbeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, coarsely: each kind has its own advice and exit code. */
    public enum Kind {
        /** The host name does not resolve. */
        DNS,
        /** No TCP connection (refused, unreachable, timed out). */
        UNREACHABLE,
        /** The proxy refused the tunnel (authentication or its rules). */
        PROXY_REFUSED,
        /** The TLS handshake failed: certificate chain or host name not verified. */
        TLS,
        /** Reached, but the answer was not what was expected. */
        PROTOCOL,
        /** The directory refused the bind or a search. */
        DIRECTORY_BIND,
        /** The test user could not be found or authenticated. */
        DIRECTORY_USER
    }

    private final Kind kind;

    public ProbeFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ProbeFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
