package com.cloudextender.devcloud.xmpp;

/** Told when a client's stream becomes usable (resource bound) and when it ends. */
public interface SessionListener {
    /** {@code session} is bound and registered; stanzas sent to it now follow the bind result. */
    void onBound(ClientSession session);

    /** {@code session} has ended and is no longer registered; its account may already have a newer session. */
    void onClosed(ClientSession session);
}
