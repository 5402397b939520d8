package com.cloudextender.core.identity;

import java.util.List;

/**
 * What the cloud issued at registration. Immutable; kept only sealed under the machine key.
 *
 * @param jid            the XMPP address, {@code local@domain}
 * @param cloudAddresses who may send commands
 */
public record Identity(String extenderId, String customerId, String jid, String password, String xmppDomain,
        List<String> cloudAddresses, long registeredAt) {

    public Identity {
        cloudAddresses = List.copyOf(cloudAddresses);
    }

    /** The local part of {@link #jid()}. */
    public String username() {
        int at = jid.indexOf('@');
        return at < 0 ? jid : jid.substring(0, at);
    }

    @Override
    public String toString() {
        return "Identity[" + extenderId + ", " + jid + "]";
    }
}
