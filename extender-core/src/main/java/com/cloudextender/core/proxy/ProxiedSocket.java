package com.cloudextender.core.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The socket HttpClient gets from {@link OutboundHttp}: on {@link #connect} it reaches the address's host
 * name through {@link ProxyConnector} (CONNECT tunnel or direct) and from then on is that connection.
 * HttpClient thus never speaks to a proxy itself, so there is one proxy login for the whole extender.
 */
final class ProxiedSocket extends Socket {
    private final ProxyDecision proxies;
    private volatile Socket inner;
    private volatile boolean closed;
    private int soTimeout;
    private boolean tcpNoDelay = true;
    private boolean keepAlive = true;

    ProxiedSocket(ProxyDecision proxies) {
        this.proxies = proxies;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress a)) {
            throw new SocketException("unsupported address " + endpoint);
        }
        Socket s = ProxyConnector.connect(proxies, a.getHostString(), a.getPort(), timeout);
        s.setTcpNoDelay(tcpNoDelay);
        s.setKeepAlive(keepAlive);
        s.setSoTimeout(soTimeout);
        synchronized (this) {
            if (closed) {
                s.close();
                throw new SocketException("socket closed while connecting");
            }
            inner = s;
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
        Socket s = inner;
        return s == null ? 0 : s.getPort();
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
        tcpNoDelay = on;
        Socket s = inner;
        if (s != null) {
            s.setTcpNoDelay(on);
        }
    }

    @Override
    public boolean getTcpNoDelay() {
        return tcpNoDelay;
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        keepAlive = on;
        Socket s = inner;
        if (s != null) {
            s.setKeepAlive(on);
        }
    }

    @Override
    public boolean getKeepAlive() {
        return keepAlive;
    }

    // Buffer sizes, linger and address reuse are the proxy connection's business: left at their defaults.
    @Override
    public void setSoLinger(boolean on, int linger) {
    }

    @Override
    public void setReceiveBufferSize(int size) {
    }

    @Override
    public void setSendBufferSize(int size) {
    }

    @Override
    public void setReuseAddress(boolean on) {
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
        return "ProxiedSocket[" + inner + "]";
    }
}
