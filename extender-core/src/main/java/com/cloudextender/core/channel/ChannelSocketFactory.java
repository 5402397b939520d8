package com.cloudextender.core.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;

import com.cloudextender.core.config.TlsMode;
import com.cloudextender.core.proxy.ProxyDecision;

/**
 * Gives Smack sockets that reach the cloud our way: through the shared proxy decision, and for direct
 * TLS already secured and verified. Smack then runs XMPP over them without knowing about either, which
 * keeps one code path for every combination of proxy and TLS mode.
 */
final class ChannelSocketFactory extends SocketFactory {
    private final String host;
    private final int port;
    private final String tlsServerName;
    private final TlsMode mode;
    private final SSLContext tls;
    private final ProxyDecision proxies;

    ChannelSocketFactory(String host, int port, String tlsServerName, TlsMode mode, SSLContext tls,
            ProxyDecision proxies) {
        this.host = host;
        this.port = port;
        this.tlsServerName = tlsServerName;
        this.mode = mode;
        this.tls = tls;
        this.proxies = proxies;
    }

    @Override
    public Socket createSocket() {
        return new ChannelSocket(host, port, tlsServerName, mode, tls, proxies);
    }

    // Smack only uses createSocket(); the connected variants are not part of its contract with us.
    @Override
    public Socket createSocket(String h, int p) throws IOException {
        throw new IOException("unsupported: the channel connects through createSocket() and connect()");
    }

    @Override
    public Socket createSocket(String h, int p, InetAddress la, int lp) throws IOException {
        throw new IOException("unsupported: the channel connects through createSocket() and connect()");
    }

    @Override
    public Socket createSocket(InetAddress h, int p) throws IOException {
        throw new IOException("unsupported: the channel connects through createSocket() and connect()");
    }

    @Override
    public Socket createSocket(InetAddress h, int p, InetAddress la, int lp) throws IOException {
        throw new IOException("unsupported: the channel connects through createSocket() and connect()");
    }
}
