package com.cloudextender.devcloud.xmpp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal XMPP client-to-server endpoint (RFC 6120): enough for Smack clients and the extender. Two
 * listeners, one with TLS from the first byte (XEP-0368 style) and one that requires STARTTLS; SASL
 * PLAIN; resource binding; routing of IQs between the domain's service and the clients.
 *
 * <p>Blocking sockets with one reader and one writer thread per connection: this is a reference cloud
 * for development, tests and benchmarks with tens of connections, where plain threads are the simplest
 * correct design and fast enough (the writer batches under load).
 */
public final class XmppServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XmppServer.class);

    private final XmppServerContext context;
    private final ServerSocket directTls;
    private final ServerSocket startTls;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private volatile boolean closing;

    private XmppServer(XmppServerContext context, ServerSocket directTls, ServerSocket startTls) {
        this.context = context;
        this.directTls = directTls;
        this.startTls = startTls;
    }

    /**
     * Opens both listeners and starts accepting.
     *
     * @param domain the XMPP domain, e.g. {@code localhost}
     * @param bindAddress the address to listen on
     * @param directTlsPort port for direct TLS, 0 for any free port
     * @param startTlsPort port for STARTTLS, 0 for any free port
     */
    public static XmppServer start(String domain, InetAddress bindAddress, int directTlsPort, int startTlsPort,
            SSLContext tls, Credentials credentials, DomainIqHandler domainHandler, SessionListener listener)
            throws IOException {
        DomainBareJid domainJid = JidCreate.domainBareFrom(domain);
        XmppServerContext context = new XmppServerContext(domainJid, tls, credentials, new SessionRegistry(),
                domainHandler, listener, new java.util.concurrent.atomic.AtomicReference<>());
        ServerSocket direct = null;
        ServerSocket plain = null;
        try {
            direct = tls.getServerSocketFactory().createServerSocket();
            ((SSLServerSocket) direct).setUseClientMode(false);
            bind(direct, bindAddress, directTlsPort, "direct TLS");
            plain = new ServerSocket();
            bind(plain, bindAddress, startTlsPort, "STARTTLS");
        } catch (IOException e) {
            closeQuietly(direct);
            closeQuietly(plain);
            throw e;
        }
        XmppServer server = new XmppServer(context, direct, plain);
        server.acceptOn(direct, true);
        server.acceptOn(plain, false);
        LOG.info("XMPP domain {} listening on {}:{} (direct TLS) and {}:{} (STARTTLS)", domain,
                bindAddress.getHostAddress(), direct.getLocalPort(), bindAddress.getHostAddress(), plain.getLocalPort());
        return server;
    }

    /** Test hook: the next stream set-up that reaches SASL fails with {@code fault}. */
    public void injectHandshakeFault(HandshakeFault fault) {
        context.nextFault().set(fault);
    }

    public int directTlsPort() {
        return directTls.getLocalPort();
    }

    public int startTlsPort() {
        return startTls.getLocalPort();
    }

    /** The bound session of account {@code localpart}, if it is connected. */
    public Optional<ClientSession> session(String localpart) {
        return context.sessions().find(localpart).filter(ClientSession::isOpen);
    }

    /** Stops listening and closes every connection with a {@code system-shutdown} stream error. */
    @Override
    public void close() {
        closing = true;
        closeQuietly(directTls);
        closeQuietly(startTls);
        for (ClientSession session : context.sessions().all()) {
            session.close("system-shutdown", "the server is shutting down");
        }
        for (Socket socket : openSockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static void bind(ServerSocket socket, InetAddress address, int port, String what) throws IOException {
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(address, port), 128);
        } catch (IOException e) {
            throw new IOException("cannot listen for XMPP (" + what + ") on " + address.getHostAddress() + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    private void acceptOn(ServerSocket listener, boolean tlsFromFirstByte) {
        Thread acceptor = new Thread(() -> {
            while (!closing) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    if (!closing) {
                        LOG.error("Accepting XMPP connections on port {} failed: {}", listener.getLocalPort(),
                                e.getMessage());
                    }
                    return;
                }
                openSockets.add(socket);
                Connection connection = new Connection(socket, tlsFromFirstByte, context, () -> openSockets.remove(socket));
                Thread reader = new Thread(connection, "xmpp-reader-" + connectionCount.incrementAndGet());
                reader.setDaemon(true);
                reader.start();
            }
        }, "xmpp-accept-" + (tlsFromFirstByte ? "tls" : "starttls"));
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to release
            }
        }
    }
}
