package com.cloudextender.core.identity;

/** Registration with the cloud failed; the message says why and what to do. */
public class RegistrationException extends Exception {
    private static final long serialVersionUID = 1L;

    public RegistrationException(String message) {
        super(message);
    }

    public RegistrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
