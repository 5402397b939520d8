package com.cloudextender.core;

/** The extender cannot start; the message tells the administrator what to fix. */
public class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
