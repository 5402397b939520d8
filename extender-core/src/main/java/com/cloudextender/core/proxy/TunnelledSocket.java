package com.cloudextender.core.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A socket handed to a library (Smack, HttpClient) that makes its real connection on {@link #connect}, through
 * the extender's proxy decision, and from then on delegates to that connection. Subclasses say only how the
 * connection is opened ({@link #open}); options set before the connection exists are applied to it, and a
 * {@link #close} that comes while connecting closes the new connection instead of leaking it.
 */
public abstract class TunnelledSocket extends Socket {
    private volatile Socket inner;
    private volatile boolean closed;
    private int soTimeout;
    private volatile boolean tcpNoDelay = true;
    private volatile boolean keepAlive = true;
    private static final java.util.Set<java.net.SocketOption<?>> TCP_OPTIONS = tcpOptions();
    private final java.util.Map<java.net.SocketOption<?>, Object> pendingOptions = new java.util.LinkedHashMap<>();

    /**
     * Opens the real connection. On failure it closes whatever it opened; on success the returned socket is
     * owned by this one.
     *
     * @param endpoint the address the library asked for
     * @param timeout the connect time limit in milliseconds, 0 for none
     */
    protected abstract Socket open(SocketAddress endpoint, int timeout) throws IOException;

    @Override
    public final void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public final void connect(SocketAddress endpoint, int timeout) throws IOException {
        Socket s = open(endpoint, timeout);
        try {
            s.setTcpNoDelay(tcpNoDelay);
            s.setKeepAlive(keepAlive);
            s.setSoTimeout(getSoTimeout());
            applyPendingOptions(s);
            synchronized (this) {
                if (closed) {
                    throw new SocketException("socket closed while connecting");
                }
                inner = s;
            }
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(s, e);
            throw e;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private synchronized void applyPendingOptions(Socket s) throws IOException {
        for (java.util.Map.Entry<java.net.SocketOption<?>, Object> e : pendingOptions.entrySet()) {
            if (s.supportedOptions().contains(e.getKey())) { // a TLS socket over a proxy may not offer them all
                s.setOption((java.net.SocketOption) e.getKey(), e.getValue());
            }
        }
    }

    /** Closes {@code s}, adding a failure to close to {@code failure} rather than hiding it. */
    protected static void closeQuietly(Socket s, Throwable failure) {
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private Socket inner() throws SocketException {
        Socket s = inner;
        if (s == null) {
            throw new SocketException("not connected");
        }
        return s;
    }

    /** The real connection, or null before {@link #connect} succeeded. */
    protected final Socket connection() {
        return inner;
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
        super.close(); // releases java.net.Socket's own socket, had anything made it create one
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

    // Buffer sizes, linger, address reuse and traffic class belong to the real connection: left at their
    // defaults, and read from it. Every option method is overridden because java.net.Socket's own versions
    // would create this object's unused socket (a file descriptor that close() here would never release).
    @Override
    public void setSoLinger(boolean on, int linger) {
    }

    @Override
    public int getSoLinger() throws SocketException {
        Socket s = inner;
        return s == null ? -1 : s.getSoLinger();
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return inner().getReceiveBufferSize();
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return inner().getSendBufferSize();
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        Socket s = inner;
        return s != null && s.getReuseAddress();
    }

    @Override
    public void setTrafficClass(int tc) {
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return inner().getTrafficClass();
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        inner().setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        Socket s = inner;
        return s != null && s.getOOBInline();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        inner().sendUrgentData(data);
    }

    /** Options set before the connection exists (HttpClient sets TCP keep-alive times then): applied on connect. */
    @Override
    public synchronized <T> Socket setOption(java.net.SocketOption<T> name, T value) throws IOException {
        Socket s = inner;
        if (s != null) {
            s.setOption(name, value);
        } else if (!TCP_OPTIONS.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' is not supported");
        } else {
            pendingOptions.put(name, value);
        }
        return this;
    }

    @Override
    public synchronized <T> T getOption(java.net.SocketOption<T> name) throws IOException {
        Socket s = inner;
        if (s != null) {
            return s.getOption(name);
        }
        if (pendingOptions.containsKey(name)) {
            return name.type().cast(pendingOptions.get(name));
        }
        throw new SocketException("not connected: '" + name + "' is read from the real connection");
    }

    @Override
    public java.util.Set<java.net.SocketOption<?>> supportedOptions() {
        Socket s = inner;
        return s == null ? TCP_OPTIONS : s.supportedOptions();
    }

    /** What a plain TCP socket of this JDK supports, read once from a socket that is closed at once. */
    private static java.util.Set<java.net.SocketOption<?>> tcpOptions() {
        try (Socket probe = new Socket()) {
            return java.util.Set.copyOf(probe.supportedOptions());
        } catch (IOException e) {
            return java.util.Set.of();
        }
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        throw new SocketException("a tunnelled socket is bound by its real connection");
    }

    @Override
    public String toString() {
        Socket s = inner;
        return getClass().getSimpleName() + "[" + (s == null ? (closed ? "closed" : "unconnected") : s) + "]";
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
}
