package com.cloudextender.devcloud.xmpp;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jivesoftware.smack.packet.Bind;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's bound stream: reads its stanzas on the connection's thread, routes them (to the server's
 * own handlers, to the domain service, or to another client), and sends stanzas to the client through
 * a {@link StanzaWriter}. Tracks the IQ requests sent to the client so that their answers complete the
 * futures returned by {@link #request}. Thread-safe for senders; reading happens on one thread.
 */
public final class ClientSession {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    /** How long a closing stream waits for its queued stanzas to reach the socket. */
    private static final long CLOSE_FLUSH_MILLIS = 2_000;
    /** How long a stream closed with an error waits for the client to close its side first. */
    private static final long CLIENT_CLOSE_WAIT_MILLIS = 1_000;

    private final XmlStream stream;
    private final EntityFullJid jid;
    private final String localpart;
    private final XmppServerContext context;
    private final StanzaWriter writer;
    private final Instant connectedSince = Instant.now();
    private final Map<String, CompletableFuture<IQ>> pendingRequests = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once the server has ended the stream ({@link #close}); the socket may still be open. */
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile String closeReason;

    ClientSession(XmlStream stream, EntityFullJid jid, XmppServerContext context) throws IOException {
        this.stream = stream;
        this.jid = jid;
        this.localpart = jid.getLocalpart().toString();
        this.context = context;
        this.writer = new StanzaWriter(stream.socket().getOutputStream(), localpart,
                () -> abortQuietly("its stream could not be written"));
    }

    /** The account's localpart: for an extender, its id. */
    public String localpart() {
        return localpart;
    }

    /** The client's full JID. */
    public EntityFullJid jid() {
        return jid;
    }

    public Instant connectedSince() {
        return connectedSince;
    }

    public boolean isOpen() {
        return !closed.get() && !closing.get();
    }

    /** Queues {@code stanza} for the client; returns false when the stream is closed. */
    public boolean send(Stanza stanza) {
        return writer.send(stanza.toXML(StreamXml.CLIENT_ENVIRONMENT).toString());
    }

    /**
     * Sends an IQ request (get or set) to the client, from the domain unless it already has a sender.
     * The future completes with the client's answer (result or error) and fails with an
     * {@link IOException} if the stream ends first.
     */
    public CompletableFuture<IQ> request(IQ request) {
        request.setTo(jid);
        if (request.getFrom() == null) {
            request.setFrom(context.domain());
        }
        return track(request.getStanzaId(), request.toXML(StreamXml.CLIENT_ENVIRONMENT).toString());
    }

    /** Like {@link #request}, for an IQ given as XML text whose id is {@code stanzaId}. */
    public CompletableFuture<IQ> requestRaw(String stanzaId, String iqXml) {
        return track(stanzaId, iqXml);
    }

    private CompletableFuture<IQ> track(String stanzaId, String xml) {
        CompletableFuture<IQ> answer = new CompletableFuture<>();
        pendingRequests.put(stanzaId, answer);
        if (closed.get() || !writer.send(xml)) {
            pendingRequests.remove(stanzaId);
            answer.completeExceptionally(new IOException(localpart + " is not connected"));
        }
        return answer;
    }

    /** Ends the stream politely with a stream error ({@code condition}, {@code text}) or, if null, a plain close. */
    public void close(String condition, String text) {
        if (closed.get() || !closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = condition == null ? "closed by the server" : condition + (text == null ? "" : ": " + text);
        writer.finish(condition == null ? StreamXml.STREAM_CLOSE : StreamXml.streamError(condition, text),
                CLOSE_FLUSH_MILLIS);
        // RFC 6120 section 4.4: wait for the client to close its side before closing TCP. The reading thread
        // closes the socket when the client's stream ends (end()), discarding what arrives meanwhile. Closed
        // at once, the socket was reset when the client had sent anything not yet read, and the client could
        // lose the stream error with it: it then reported a broken pipe instead of the reason. This bounds
        // the wait for a client that never closes.
        CompletableFuture.delayedExecutor(CLIENT_CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS).execute(() -> closeSocket(false));
    }

    /**
     * Drops the TCP connection at once, without closing the XML stream, as a network failure would.
     * A test hook for the client's reconnect logic.
     */
    public void abort() {
        abortQuietly("dropped on request");
    }

    private void abortQuietly(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        writer.abort();
        closeSocket(true);
    }

    /** Answers the bind request, registers the session, then reads stanzas until the stream ends. */
    void run(IQ bindRequest) {
        try {
            stream.socket().setSoTimeout(0);
            Bind answer = Bind.newResult(jid);
            answer.setType(IQ.Type.result);
            answer.setStanzaId(bindRequest.getStanzaId());
            send(answer); // queued: written once the session is registered, below
            HandshakeFault fault = context.nextFault().getAndUpdate(f -> f != null && f.afterBind() ? null : f);
            fault = fault != null && fault.afterBind() ? fault : null;
            ClientSession replaced = context.sessions().bind(this);
            if (replaced != null) {
                replaced.close("conflict", "replaced by a new connection of the same account");
            }
            LOG.info("{} connected from {} ({})", jid, stream.peer(), stream.isDirectTls() ? "direct TLS" : "STARTTLS");
            context.listener().onBound(this);
            // Only now does the client get its bind result, ahead of whatever onBound queued for it. Once the
            // client is bound, the cloud knows its session: a client (or a test) asking at once finds it.
            writer.start();
            readStanzas(fault);
        } catch (XmlPullParserException e) {
            if (stream.isDisconnect(e) || closeReason != null) {
                if (closeReason == null) {
                    closeReason = "the connection ended";
                }
            } else {
                LOG.warn("Malformed XML from {} ({}): {}; closing its connection", jid, stream.peer(), e.getMessage());
                close("not-well-formed", "the stream is not well-formed XML");
            }
        } catch (SocketException e) {
            if (closeReason == null) {
                closeReason = "connection lost: " + e.getMessage();
            }
        } catch (IOException e) {
            if (closeReason == null) {
                closeReason = "connection failed: " + e.getMessage();
            }
        } catch (StreamFailure e) {
            LOG.warn("Closing the stream of {}: {} ({})", jid, e.getMessage(), e.condition());
            close(e.condition(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure on the stream of {}; closing it", jid, e);
            close("internal-server-error", null);
        } finally {
            end();
        }
    }

    /** Reads and routes stanzas until the stream ends; {@code fault}, if not null, is applied on the way. */
    private void readStanzas(HandshakeFault fault) throws IOException, XmlPullParserException, StreamFailure {
        boolean silent = fault == HandshakeFault.SILENT_AFTER_BIND;
        if (fault != null) {
            LOG.info("Injecting fault {} into the session of {}", fault, jid);
        }
        while (stream.nextTopLevelElement()) {
            if (closing.get()) {
                stream.skipRestOfTopLevelElement(); // the stream is over for the server: nothing more is routed
                continue;
            }
            if (fault == HandshakeFault.CUT_AFTER_BIND) {
                abortQuietly("connection cut after bind (injected fault)");
                return;
            }
            if (silent && !"presence".equals(stream.parser().getName())) {
                stream.skipRestOfTopLevelElement();
                continue;
            }
            silent = false;
            XmlPullParser parser = stream.parser();
            String name = parser.getName();
            if (!StreamXml.CLIENT_NS.equals(parser.getNamespace())
                    || !("iq".equals(name) || "message".equals(name) || "presence".equals(name))) {
                throw new StreamFailure("unsupported-stanza-type",
                        "<" + name + " xmlns='" + parser.getNamespace() + "'/> is not supported here");
            }
            Stanza stanza;
            try {
                stanza = PacketParserUtils.parseStanza(parser, stream.environment());
            } catch (SmackParsingException | IllegalArgumentException | NullPointerException e) {
                // Well-formed but unusable (bad JID, IQ without child...): drop it, keep the stream.
                LOG.warn("Dropped a stanza from {} that cannot be parsed: {}", jid, e.toString());
                stream.skipRestOfTopLevelElement();
                continue;
            }
            try {
                route(stanza);
            } catch (RuntimeException e) {
                LOG.error("Handling a stanza from {} failed: {}", jid, stanza, e);
                if (stanza instanceof IQ iq && (iq.isRequestIQ())) {
                    send(IQ.createErrorResponse(iq, StanzaError.getBuilder(StanzaError.Condition.internal_server_error)
                            .build()));
                }
            }
        }
        closeReason = "the client closed its stream";
        close(null, null);
    }

    /** Delivers one stanza from this client (RFC 6120 section 8.5 and 10). */
    private void route(Stanza stanza) {
        stanza.setFrom(jid); // RFC 6120 section 8.1.2.1: the server stamps the sender's full JID
        Jid to = stanza.getTo();
        if (!(stanza instanceof IQ)) {
            forwardToClient(stanza, to); // messages and presence: only client-to-client; the cloud uses none
            return;
        }
        IQ iq = (IQ) stanza;
        if (!iq.isRequestIQ()) {
            CompletableFuture<IQ> waiting = pendingRequests.remove(iq.getStanzaId());
            if (waiting != null) {
                waiting.complete(iq);
            } else {
                forwardToClient(iq, to);
            }
            return;
        }
        boolean toServer = to == null || to.equals(context.domain());
        if (toServer || to.equals(jid.asBareJid())) {
            IQ answer = BuiltInIqs.answer(iq);
            if (answer != null) {
                send(answer);
                return;
            }
            if (toServer && context.domainHandler().handle(this, iq)) {
                return;
            }
            send(IQ.createErrorResponse(iq, StanzaError.getBuilder(StanzaError.Condition.service_unavailable)
                    .setDescriptiveEnText("no service for <" + iq.getChildElementName() + " xmlns='"
                            + iq.getChildElementNamespace() + "'/> at " + (to == null ? "the server" : to))
                    .build()));
            return;
        }
        if (!forwardToClient(iq, to)) {
            send(IQ.createErrorResponse(iq, StanzaError.getBuilder(StanzaError.Condition.service_unavailable)
                    .setDescriptiveEnText(to + " is not connected").build()));
        }
    }

    /** Sends {@code stanza} to the connected client whose full JID is {@code to}; false if there is none. */
    private boolean forwardToClient(Stanza stanza, Jid to) {
        if (to == null || to.getLocalpartOrNull() == null || !to.getDomain().equals(context.domain())) {
            return false;
        }
        ClientSession target = context.sessions().find(to.getLocalpartOrNull().toString()).orElse(null);
        if (target == null || !target.jid.equals(to)) {
            return false;
        }
        return target.send(stanza);
    }

    private void closeSocket(boolean abruptly) {
        Socket socket = stream.socket();
        try {
            if (abruptly) {
                socket.setSoLinger(true, 0); // reset instead of an orderly close, like a failed network
            }
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing the socket of {}: {}", jid, e.toString());
        }
    }

    /** Runs once when the stream is over: unregisters, fails outstanding requests, tells the listener. */
    private void end() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        context.sessions().remove(this);
        writer.finish(null, CLOSE_FLUSH_MILLIS);
        closeSocket(false);
        List<CompletableFuture<IQ>> waiting = new ArrayList<>(pendingRequests.values());
        pendingRequests.clear();
        IOException gone = new IOException("the connection of " + jid + " closed before it answered");
        waiting.forEach(f -> f.completeExceptionally(gone));
        LOG.info("{} disconnected: {}", jid, closeReason == null ? "connection closed" : closeReason);
        context.listener().onClosed(this);
    }
}
