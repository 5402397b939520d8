package com.cloudextender.core.channel;

/**
 * The account the channel logs in with. Immutable; never prints the password.
 *
 * @param username the local part of the JID
 * @param domain   the XMPP service domain
 */
public record ChannelCredentials(String username, String domain, String password, String resource) {
    @Override
    public String toString() {
        return username + "@" + domain + "/" + resource;
    }
}
