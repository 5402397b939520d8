package com.cloudextender.core.channel;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

import com.cloudextender.core.config.ConfigException;

/**
 * The addresses allowed to send commands, compared by bare JID. A configured domain (for example
 * {@code cloud.example.com}) allows only the domain itself, never users of that domain, so that another
 * account on a shared XMPP server cannot command the extender.
 */
public final class CloudAddresses {
    private final List<BareJid> allowed;
    private final Set<BareJid> allowedSet;

    public CloudAddresses(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new ConfigException("cloud.addresses: no cloud address is known; set it in the configuration "
                    + "(needed with xmpp.username) or register with an activation code");
        }
        this.allowed = addresses.stream().map(CloudAddresses::parse).toList();
        this.allowedSet = Set.copyOf(allowed);
    }

    private static BareJid parse(String address) {
        try {
            return JidCreate.bareFrom(address);
        } catch (XmppStringprepException e) {
            throw new ConfigException("cloud.addresses: '" + address + "' is not an XMPP address");
        }
    }

    /** True when {@code from} may command this extender; {@code null} stands for the server itself. */
    public boolean mayCommand(Jid from, Jid serverDomain) {
        Jid sender = from == null ? serverDomain : from;
        return sender != null && allowedSet.contains(sender.asBareJid());
    }

    /** Where results with no known sender and health reports go. */
    public BareJid primary() {
        return allowed.get(0);
    }

    @Override
    public String toString() {
        return allowed.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
