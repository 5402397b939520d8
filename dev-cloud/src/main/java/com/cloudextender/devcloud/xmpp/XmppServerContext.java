package com.cloudextender.devcloud.xmpp;

import javax.net.ssl.SSLContext;

import org.jxmpp.jid.DomainBareJid;

/** What every connection of one {@link XmppServer} shares. */
record XmppServerContext(DomainBareJid domain, SSLContext tls, Credentials credentials, SessionRegistry sessions,
        DomainIqHandler domainHandler, SessionListener listener,
        java.util.concurrent.atomic.AtomicReference<HandshakeFault> nextFault) {

    String domainName() {
        return domain.toString();
    }
}
