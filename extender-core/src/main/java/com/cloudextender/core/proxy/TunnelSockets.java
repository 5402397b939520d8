package com.cloudextender.core.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * The sockets modules get from {@link ModuleProxies#tunnels()}: each connects through {@link ProxyConnector},
 * so a module's connection authenticates to the proxy exactly as the channel does (Negotiate, NTLM or Basic)
 * without the module ever holding the proxy password. Sockets connected here ({@code createSocket(host, port)})
 * have a {@link java.nio.channels.SocketChannel}, so that a non-blocking framework (the MEG module's Netty) can
 * take over the tunnel.
 */
final class TunnelSockets extends SocketFactory {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private final ProxyDecision decision;

    TunnelSockets(ProxyDecision decision) {
        this.decision = decision;
    }

    @Override
    public Socket createSocket() {
        return new ProxiedSocket(decision);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return ProxyConnector.connect(decision, host, port, CONNECT_TIMEOUT_MS, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port); // the local address is the operating system's choice behind a proxy
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostName(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address.getHostName(), port);
    }
}
