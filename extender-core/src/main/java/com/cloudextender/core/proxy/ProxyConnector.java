package com.cloudextender.core.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

import com.cloudextender.api.ProxyRoute;

/**
 * Opens the TCP connection of every outbound connection: through the proxy the shared {@link ProxyDecision}
 * names (a CONNECT tunnel, authenticated by the decision's authenticator) or directly. The channel and the
 * HTTP clients of {@link OutboundHttp} both come here, so they authenticate the same way.
 */
public final class ProxyConnector {
    private ProxyConnector() {
    }

    /** A connected socket to {@code host:port}; names are resolved by the proxy when there is one. */
    public static Socket connect(ProxyDecision proxies, String host, int port, int timeoutMillis) throws IOException {
        return connect(proxies, host, port, timeoutMillis, false);
    }

    /**
     * As {@link #connect(ProxyDecision, String, int, int)}; with {@code selectable}, the socket is a
     * {@link java.nio.channels.SocketChannel}'s (still in blocking mode), for a non-blocking framework to take over.
     */
    public static Socket connect(ProxyDecision proxies, String host, int port, int timeoutMillis, boolean selectable)
            throws IOException {
        Optional<ProxyRoute> route = proxies.routeFor(host, port);
        // A connection to the proxy itself (a plain-HTTP request a client sends to the proxy) is never tunnelled
        // through that same proxy.
        if (route.isPresent() && !(route.get().host().equalsIgnoreCase(host) && route.get().port() == port)) {
            return HttpConnectTunnel.open(route.get(), proxies.authenticator(), host, port, timeoutMillis, selectable);
        }
        Socket s = selectable ? java.nio.channels.SocketChannel.open().socket() : new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
