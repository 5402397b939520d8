package com.cloudextender.core.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import com.cloudextender.core.config.TlsMode;
import com.cloudextender.core.proxy.ProxyConnector;
import com.cloudextender.core.proxy.ProxyDecision;

/**
 * A socket that, on {@link #connect}, reaches the configured cloud host (directly or through an HTTP
 * CONNECT tunnel) and, in direct-TLS mode, completes a verified TLS handshake (SNI and HTTPS-style
 * host-name check against the configured name). The address Smack passes to connect is ignored: the
 * configured host is what counts, so that a proxy can resolve names the extender's network cannot.
 */
final class ChannelSocket extends Socket {
    private final String host;
    private final int port;
    private final String tlsServerName;
    private final TlsMode mode;
    private final SSLContext tls;
    private final ProxyDecision proxies;
    private volatile Socket inner;
    private volatile boolean closed;
    private int soTimeout;

    ChannelSocket(String host, int port, String tlsServerName, TlsMode mode, SSLContext tls, ProxyDecision proxies) {
        this.host = host;
        this.port = port;
        this.tlsServerName = tlsServerName;
        this.mode = mode;
        this.tls = tls;
        this.proxies = proxies;
    }

    @Override
    public void connect(SocketAddress ignored) throws IOException {
        connect(ignored, 0);
    }

    @Override
    public void connect(SocketAddress ignored, int timeout) throws IOException {
        Socket plain = ProxyConnector.connect(proxies, host, port, timeout);
        // From here the socket is open: any failure (a reset, garbage instead of TLS, a time-out, a close()
        // meanwhile) must close it, or each failed attempt of the reconnect loop leaks a file descriptor.
        Socket ready = plain;
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            if (mode == TlsMode.DIRECT) {
                ready = handshake(plain, timeout);
            }
            synchronized (this) {
                if (closed) {
                    throw new SocketException("socket closed while connecting");
                }
                inner = ready;
            }
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ready, e);
            if (ready != plain) {
                closeQuietly(plain, e);
            }
            throw e;
        }
    }

    private static void closeQuietly(Socket s, Throwable failure) {
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
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
            ssl.setSoTimeout(soTimeout);
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

    private Socket inner() throws SocketException {
        Socket s = inner;
        if (s == null) {
            throw new SocketException("not connected");
        }
        return s;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return inner().getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return inner().getOutputStream();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        Socket s = inner;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public boolean isConnected() {
        Socket s = inner;
        return s != null && s.isConnected();
    }

    @Override
    public boolean isClosed() {
        Socket s = inner;
        return closed || (s != null && s.isClosed());
    }

    @Override
    public boolean isBound() {
        Socket s = inner;
        return s != null && s.isBound();
    }

    @Override
    public InetAddress getInetAddress() {
        Socket s = inner;
        return s == null ? null : s.getInetAddress();
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public InetAddress getLocalAddress() {
        Socket s = inner;
        return s == null ? null : s.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        Socket s = inner;
        return s == null ? -1 : s.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        Socket s = inner;
        return s == null ? null : s.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        Socket s = inner;
        return s == null ? null : s.getLocalSocketAddress();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        soTimeout = timeout;
        Socket s = inner;
        if (s != null) {
            s.setSoTimeout(timeout);
        }
    }

    @Override
    public synchronized int getSoTimeout() {
        return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        if (inner != null) {
            inner.setTcpNoDelay(on);
        }
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        if (inner != null) {
            inner.setKeepAlive(on);
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        inner().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        inner().shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        Socket s = inner;
        return s != null && s.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        Socket s = inner;
        return s != null && s.isOutputShutdown();
    }

    @Override
    public String toString() {
        return "ChannelSocket[" + host + ":" + port + ", " + mode + "]";
    }
}
