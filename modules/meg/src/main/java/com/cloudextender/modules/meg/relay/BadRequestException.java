package com.cloudextender.modules.meg.relay;

import com.cloudextender.modules.meg.allow.Refusal;

/** A relayed request that cannot be forwarded as it is; {@code refusal} is set when the allow list's rules forbid it. */
public final class BadRequestException extends Exception {
    private final Refusal refusal;

    public BadRequestException(String message) {
        this(message, null);
    }

    public BadRequestException(String message, Refusal refusal) {
        super(message, null, false, false);
        this.refusal = refusal;
    }

    /** The allow-list reason (a Host that disagrees with the target), or null for a malformed request. */
    public Refusal refusal() {
        return refusal;
    }
}
