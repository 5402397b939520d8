package com.cloudextender.modules.scep.challenge;

/** The challenge password could not be obtained; the message says why and what to do. */
public final class ChallengeException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChallengeException(String message) {
        super(message);
    }

    public ChallengeException(String message, Throwable cause) {
        super(message, cause);
    }
}
