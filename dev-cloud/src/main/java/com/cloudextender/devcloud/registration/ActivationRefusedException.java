package com.cloudextender.devcloud.registration;

/** An activation code that is unknown or expired; the message says which and is safe to show to the client. */
public final class ActivationRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ActivationRefusedException(String message) {
        super(message);
    }
}
