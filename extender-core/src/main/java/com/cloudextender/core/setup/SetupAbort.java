package com.cloudextender.core.setup;

/** Setup stops: the message says what was wrong and what to do, and {@link #exitCode()} is the command's exit code. */
public final class SetupAbort extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit codes of {@code extender setup}, one per kind of failure (documented in docs/OPERATIONS.md). */
    public static final int CANCELLED = 1;
    public static final int CANNOT_WRITE = 2;
    public static final int BAD_ANSWERS = 10;
    public static final int CLOUD_UNREACHABLE = 11;
    public static final int PROXY_REFUSED = 12;
    public static final int TLS = 13;
    public static final int DIRECTORY_BIND = 14;
    public static final int DIRECTORY_USER = 15;

    private final int exitCode;

    public SetupAbort(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
