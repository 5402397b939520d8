package com.cloudextender.devcloud.upload;

import org.jivesoftware.smack.packet.StanzaError;

/** A slot request the service refuses, with the XMPP error condition and a text for the extender. */
public final class SlotRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final StanzaError.Condition condition;

    public SlotRefusedException(StanzaError.Condition condition, String message) {
        super(message);
        this.condition = condition;
    }

    public StanzaError.Condition condition() {
        return condition;
    }
}
