package com.cloudextender.modules.meg.allow;

/** A target the allow list refuses, with the typed reason and a message that names what was refused. */
public final class RefusedException extends Exception {
    private final Refusal reason;

    public RefusedException(Refusal reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Refusal reason() {
        return reason;
    }
}
