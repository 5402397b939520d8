package com.cloudextender.devcloud.xmpp;

import java.io.IOException;
import java.net.Socket;

import javax.net.ssl.SSLException;

import org.jivesoftware.smack.xml.XmlPullParserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted TCP connection, run on its own thread: negotiation ({@link Negotiator}), then, once a
 * resource is bound, the {@link ClientSession}. Any failure ends only this connection.
 */
final class Connection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** A client that has not bound a resource within this time is dropped (half-open or stuck clients). */
    private static final int NEGOTIATION_TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final boolean directTls;
    private final XmppServerContext context;
    private final Runnable onEnd;

    Connection(Socket socket, boolean directTls, XmppServerContext context, Runnable onEnd) {
        this.socket = socket;
        this.directTls = directTls;
        this.context = context;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        XmlStream stream = null;
        try {
            socket.setSoTimeout(NEGOTIATION_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            stream = new XmlStream(socket, directTls);
            Negotiator.Bound bound = new Negotiator(stream, context).negotiate();
            if (bound == null) {
                LOG.debug("{} closed its stream before binding a resource", peer);
                writeQuietly(stream, StreamXml.STREAM_CLOSE);
                closeQuietly(stream.socket());
                return;
            }
            new ClientSession(stream, bound.jid(), context).run(bound.bindRequest());
        } catch (StreamFailure e) {
            LOG.warn("Closing the stream from {}: {} ({})", peer, e.getMessage(), e.condition());
            writeQuietly(stream, StreamXml.streamError(e.condition(), e.getMessage()));
            closeQuietly(stream.socket());
        } catch (SSLException e) {
            LOG.warn("TLS with {} failed: {}", peer, e.getMessage());
            closeQuietly(socket);
        } catch (XmlPullParserException e) {
            if (stream != null && !stream.isDisconnect(e)) {
                LOG.warn("Malformed XML from {} during negotiation: {}; closing", peer, e.getMessage());
                writeQuietly(stream, StreamXml.streamError("not-well-formed", "the stream is not well-formed XML"));
            }
            closeQuietly(stream == null ? socket : stream.socket());
        } catch (IOException e) {
            LOG.debug("Connection from {} ended during negotiation: {}", peer, e.toString());
            closeQuietly(stream == null ? socket : stream.socket());
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure on the connection from {}", peer, e);
            closeQuietly(stream == null ? socket : stream.socket());
        } finally {
            closeQuietly(socket);
            onEnd.run();
        }
    }

    private static void writeQuietly(XmlStream stream, String xml) {
        try {
            stream.write(xml);
        } catch (IOException e) {
            // the client is gone already
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
