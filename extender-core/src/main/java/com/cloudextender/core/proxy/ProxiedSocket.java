package com.cloudextender.core.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The socket HttpClient gets from {@link OutboundHttp}: on {@link #connect} it reaches the address's host
 * name through {@link ProxyConnector} (CONNECT tunnel or direct) and from then on is that connection.
 * HttpClient thus never speaks to a proxy itself, so there is one proxy login for the whole extender.
 */
final class ProxiedSocket extends TunnelledSocket {
    private final ProxyDecision proxies;

    ProxiedSocket(ProxyDecision proxies) {
        this.proxies = proxies;
    }

    @Override
    protected Socket open(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress a)) {
            throw new SocketException("unsupported address " + endpoint);
        }
        return ProxyConnector.connect(proxies, a.getHostString(), a.getPort(), timeout);
    }

    @Override
    public String toString() {
        return "ProxiedSocket[" + connection() + "]";
    }
}
