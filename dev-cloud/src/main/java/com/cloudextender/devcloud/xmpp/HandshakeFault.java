package com.cloudextender.devcloud.xmpp;

/**
 * A fault the dev cloud injects into one stream set-up, for tests of what an extender does when the
 * connection fails half-way through it.
 */
public enum HandshakeFault {
    /** After the client's {@code <auth/>}, the TCP connection is reset: no answer, no closing tag. */
    CUT_AFTER_AUTH,
    /** After the client's {@code <auth/>}, nothing is answered; the connection stays open (a stalled peer). */
    STALL_AFTER_AUTH,
    /**
     * The session is bound, then the first stanza the client sends resets the TCP connection: a cut while the
     * client finishes its login (the requests a client library sends right after binding).
     */
    CUT_AFTER_BIND,
    /**
     * The session is bound, then nothing the client sends is answered until its first presence: a path that
     * went quiet while the client finishes its login. A client that waits for an answer at login waits its
     * reply time.
     */
    SILENT_AFTER_BIND;

    /** Whether the fault strikes after the bind, in the session, rather than during the set-up. */
    boolean afterBind() {
        return this == CUT_AFTER_BIND || this == SILENT_AFTER_BIND;
    }
}
