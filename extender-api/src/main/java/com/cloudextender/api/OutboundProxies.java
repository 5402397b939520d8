package com.cloudextender.api;

import java.util.Optional;
import javax.net.SocketFactory;

/**
 * The extender's one proxy decision, shared by the channel, uploads, module downloads and every
 * module's outbound connections, so that they always agree. Thread-safe.
 */
@FunctionalInterface
public interface OutboundProxies {
    /** The proxy for a connection to {@code host:port}, or empty to connect directly. */
    Optional<ProxyRoute> routeFor(String host, int port);

    /**
     * Sockets that connect as the extender's own connections do. A socket from this factory, on
     * {@code connect(address)}, asks this decision about the address's host name and port and either
     * connects directly or opens a CONNECT tunnel through the proxy, answering the proxy with the
     * schemes the administrator allows (Negotiate, NTLM, Basic): modules then need no proxy
     * credentials of their own. Give the address unresolved
     * ({@link java.net.InetSocketAddress#createUnresolved}) so that the proxy resolves names only it
     * knows. A connection to the proxy itself is always direct (for plain-HTTP requests a client sends
     * to the proxy). A socket the factory connects itself ({@code createSocket(host, port)}) has a
     * {@link java.nio.channels.SocketChannel} ({@code getChannel()}), still in blocking mode, so that a
     * non-blocking framework can take the connection over.
     *
     * @return the factory, or empty when this decision cannot authenticate to proxies itself (then a
     *         client uses {@link #routeFor} and the route's Basic credentials, if any)
     */
    default Optional<SocketFactory> tunnels() {
        return Optional.empty();
    }
}
