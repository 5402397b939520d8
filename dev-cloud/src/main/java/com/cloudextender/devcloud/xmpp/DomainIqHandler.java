package com.cloudextender.devcloud.xmpp;

import org.jivesoftware.smack.packet.IQ;

/**
 * The service behind the server's domain JID: receives the IQ requests (get or set) that clients
 * address to the domain and that the server itself does not handle (ping, session, roster).
 */
@FunctionalInterface
public interface DomainIqHandler {
    /**
     * Handles {@code request}, answering it through {@link ClientSession#send} now or later (or, for a
     * test hook, not at all).
     *
     * @return false if the request is not understood; the server then answers {@code service-unavailable}
     */
    boolean handle(ClientSession from, IQ request);
}
