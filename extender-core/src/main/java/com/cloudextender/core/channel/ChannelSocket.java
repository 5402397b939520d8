package com.cloudextender.core.channel;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import com.cloudextender.core.config.TlsMode;
import com.cloudextender.core.proxy.ProxyConnector;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.proxy.TunnelledSocket;

/**
 * A socket that, on {@link #connect}, reaches the configured cloud host (directly or through an HTTP
 * CONNECT tunnel) and, in direct-TLS mode, completes a verified TLS handshake (SNI and HTTPS-style
 * host-name check against the configured name). The address Smack passes to connect is ignored: the
 * configured host is what counts, so that a proxy can resolve names the extender's network cannot.
 */
final class ChannelSocket extends TunnelledSocket {
    private final String host;
    private final int port;
    private final String tlsServerName;
    private final TlsMode mode;
    private final SSLContext tls;
    private final ProxyDecision proxies;

    ChannelSocket(String host, int port, String tlsServerName, TlsMode mode, SSLContext tls, ProxyDecision proxies) {
        this.host = host;
        this.port = port;
        this.tlsServerName = tlsServerName;
        this.mode = mode;
        this.tls = tls;
        this.proxies = proxies;
    }

    /** The address Smack passes is ignored: the configured host is what counts. */
    @Override
    protected Socket open(SocketAddress ignored, int timeout) throws IOException {
        Socket plain = ProxyConnector.connect(proxies, host, port, timeout);
        // From here the socket is open: any failure (a reset, garbage instead of TLS, a time-out) must close
        // it, or each failed attempt of the reconnect loop leaks a file descriptor. The base class closes
        // what this returns if a close() came meanwhile.
        try {
            return mode == TlsMode.DIRECT ? handshake(plain, timeout) : plain;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(plain, e);
            throw e;
        }
    }

    private SSLSocket handshake(Socket plain, int timeout) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, tlsServerName, port, true);
        try {
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!Character.isDigit(tlsServerName.charAt(0)) && !tlsServerName.contains(":")) {
                sni(tlsServerName).ifPresent(name -> params.setServerNames(List.of(name)));
            }
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(timeout);
            try {
                ssl.startHandshake();
            } catch (SSLHandshakeException e) {
                SSLHandshakeException named = new SSLHandshakeException("TLS to " + host + ":" + port
                        + " failed verification as '" + tlsServerName + "': " + e.getMessage()
                        + " (check cloud.trustStore and cloud.host)");
                named.initCause(e);
                throw named;
            }
            ssl.setSoTimeout(getSoTimeout());
            return ssl;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ssl, e); // closes the plain socket under it too (autoClose)
            throw e;
        }
    }

    /**
     * The name as a TLS server name indication, if SNI can carry it. A DNS name SNI rejects (an underscore,
     * common in internal names) is sent without SNI, as the JDK's own HTTPS client does; the host-name
     * check of the certificate still applies.
     */
    private static java.util.Optional<SNIHostName> sni(String name) {
        try {
            return java.util.Optional.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public String toString() {
        return "ChannelSocket[" + host + ":" + port + ", " + mode + "]";
    }
}
