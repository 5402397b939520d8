package com.cloudextender.modules.bes.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets over the extender's own sockets ({@code OutboundProxies.tunnels()}): the extender connects
 * them, directly or through a CONNECT tunnel it logs in to (Negotiate, NTLM or Basic as the
 * administrator allows), and this factory layers the module's verified TLS on top. The JDK's
 * {@code HttpsURLConnection} asks {@link #createSocket()} for an unconnected socket, connects it to the
 * BAS, then layers TLS with {@link #createSocket(Socket, String, int, boolean)}: so CXF's classic conduit
 * reaches the BAS through an authenticating proxy without ever holding the proxy's password.
 */
final class TunnelledTls extends SSLSocketFactory {
    private final SocketFactory tunnels;
    private final SSLSocketFactory tls;

    TunnelledTls(SocketFactory tunnels, SSLSocketFactory tls) {
        this.tunnels = tunnels;
        this.tls = tls;
    }

    @Override
    public Socket createSocket() throws IOException {
        return tunnels.createSocket();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return tls.createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket plain = tunnels.createSocket();
        try {
            // Unresolved: the decision is made on the name, and a proxy may resolve names only it knows.
            plain.connect(InetSocketAddress.createUnresolved(host, port));
            return tls.createSocket(plain, host, port, true);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port); // the extender chooses the local end of its connections
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address.getHostAddress(), port);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }
}
