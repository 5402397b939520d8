package com.cloudextender.core.proxy.auth;

/** One scheme's login to one proxy for one request: answers its challenges until the proxy decides. */
interface SchemeLogin {
    /**
     * The {@code Proxy-Authorization} value answering {@code challenge} (the scheme's challenge from the
     * proxy's latest 407).
     *
     * @throws LoginFailure when this scheme cannot go on (no ticket, a malformed challenge, ...)
     */
    String answer(Challenge challenge) throws LoginFailure;

    /** Whether a 407 whose challenge of this scheme carries a token continues the handshake. */
    boolean continues(Challenge challenge);

    /** Whether the handshake must stay on one connection (NTLM). */
    boolean connectionBound();

    /** Why the proxy's 407 after the last answer means this login failed, and what to change. */
    String rejection();
}
