package com.cloudextender.devcloud.xmpp;

/**
 * A fault the dev cloud injects into one stream set-up, for tests of what an extender does when the
 * connection fails half-way through it.
 */
public enum HandshakeFault {
    /** After the client's {@code <auth/>}, the TCP connection is reset: no answer, no closing tag. */
    CUT_AFTER_AUTH,
    /** After the client's {@code <auth/>}, nothing is answered; the connection stays open (a stalled peer). */
    STALL_AFTER_AUTH
}
