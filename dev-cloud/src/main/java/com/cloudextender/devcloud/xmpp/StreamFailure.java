package com.cloudextender.devcloud.xmpp;

/**
 * A reason to end a client stream with a stream error (RFC 6120 section 4.9.3): the defined condition
 * and a text for the client, which also goes to the log.
 */
final class StreamFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final String condition;

    StreamFailure(String condition, String text) {
        super(text);
        this.condition = condition;
    }

    String condition() {
        return condition;
    }
}
