package com.cloudextender.core.channel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.xml.namespace.QName;

import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;

import com.cloudextender.core.protocol.ErrorReplyIq;
import com.cloudextender.core.protocol.Protocol;
import com.cloudextender.core.protocol.XmlChars;

/**
 * The channel's XMPP connection: Smack's TCP connection with two rules that keep a stanza from the cloud
 * from breaking the stream.
 * <ul>
 * <li>An IQ request that no handler takes (an unknown element or namespace, an element without a
 * namespace, a wrongly spelled {@code command}) is answered with an error that carries only the error:
 * {@code feature-not-implemented} in the extender's namespaces, {@code service-unavailable} elsewhere.
 * Smack's own answer copies the request's child element, which is not well-formed for an element Smack
 * could not parse (a server closes the stream on it) and cannot be written at all for an element without
 * a namespace (the writer thread dies, and stream resumption replays the cause after every resume).</li>
 * <li>A stanza is written to the stream only if it serialises to well-formed characters: one that cannot
 * be written is refused before it reaches the writer thread. An IQ answer that cannot be written is
 * replaced by an {@code internal-server-error}, so the request still gets its answer.</li>
 * </ul>
 * And its login asks the server nothing after the bind. Smack would load the roster and discover an HTTP
 * upload service, and {@code login()} waits for the discovery's answers: a connection cut or gone quiet at
 * that moment held the reconnect for the reply time. The extender keeps no contacts, and it asks the cloud
 * for upload slots at the cloud's own address ({@code Uploader}), so it needs neither.
 */
final class ExtenderConnection extends XMPPTCPConnection {
    /*
     * Without initialisers on purpose: Smack's constructor already registers handlers (connection creation
     * listeners such as service discovery) through the override below, before this class's initialisers would
     * run, and an initialiser would then replace what they registered.
     */
    private Set<QName> setHandlers;
    private Set<QName> getHandlers;
    private final Consumer<String> refusedStanza;

    /** @param refusedStanza told (with a description) of each received or outgoing stanza refused here */
    ExtenderConnection(XMPPTCPConnectionConfiguration config, Consumer<String> refusedStanza) {
        super(config);
        this.refusedStanza = refusedStanza;
        handlers(IQ.Type.set); // creates the sets if no handler was registered during super()
        Roster.getInstanceFor(this).setRosterLoadedAtLogin(false);
    }

    /**
     * Keeps out the HTTP upload manager's login hook, which Smack's start-up adds to every connection (from
     * the constructor: no field of this class may be used here).
     */
    @Override
    public void addConnectionListener(ConnectionListener listener) {
        if (listener.getClass().getEnclosingClass() == HttpFileUploadManager.class) {
            return;
        }
        super.addConnectionListener(listener);
    }

    /** Whether a connection listener that {@code owner} declares is registered. */
    boolean hasListenerOf(Class<?> owner) {
        return connectionListeners.stream().anyMatch(l -> l.getClass().getEnclosingClass() == owner);
    }

    /**
     * The failure that ended the stream, or null. Set by the reader or writer thread as soon as it fails, also
     * while {@code connect()} or {@code login()} holds the connection's lock, when no connection listener can
     * be told yet.
     */
    Exception streamFailure() {
        if (!hasCurrentConnectionException()) {
            return null;
        }
        return currentSmackException != null ? currentSmackException : currentXmppException;
    }

    @Override
    public IQRequestHandler registerIQRequestHandler(IQRequestHandler handler) {
        IQRequestHandler previous = super.registerIQRequestHandler(handler);
        handlers(handler.getType()).add(handler.getQName());
        return previous;
    }

    @Override
    public IQRequestHandler unregisterIQRequestHandler(String element, String namespace, IQ.Type type) {
        handlers(type).remove(new QName(namespace, element));
        return super.unregisterIQRequestHandler(element, namespace, type);
    }

    /** Created on first use, which is in the constructor (no other thread sees the connection before it ends). */
    private Set<QName> handlers(IQ.Type type) {
        if (setHandlers == null) {
            setHandlers = ConcurrentHashMap.newKeySet();
            getHandlers = ConcurrentHashMap.newKeySet();
        }
        return switch (type) {
            case set -> setHandlers;
            case get -> getHandlers;
            default -> throw new IllegalArgumentException("IQ request handlers are for 'get' and 'set' only");
        };
    }

    @Override
    protected void invokeStanzaCollectorsAndNotifyRecvListeners(Stanza stanza) {
        if (stanza instanceof IQ iq && iq.isRequestIQ() && !handled(iq)) {
            refusedStanza.accept("an IQ " + iq.getType() + " with a child element this extender does not handle ("
                    + describe(iq.getChildElementQName()) + ")");
            IQ answer = new ErrorReplyIq(iq, StanzaError.getBuilder(unhandledCondition(iq)).build());
            // Not on the reader thread: sending may wait for room in the writer's queue.
            asyncGo(() -> {
                try {
                    sendStanza(answer);
                } catch (Exception e) {
                    refusedStanza.accept("the error answer to an unhandled IQ could not be sent: " + e);
                }
            });
            return;
        }
        super.invokeStanzaCollectorsAndNotifyRecvListeners(stanza);
    }

    private boolean handled(IQ iq) {
        QName name = iq.getChildElementQName();
        return name != null && handlers(iq.getType()).contains(name);
    }

    /** RFC 6120 8.3.3: an unknown namespace is service-unavailable; an unknown element of ours is not implemented. */
    static StanzaError.Condition unhandledCondition(IQ iq) {
        QName name = iq.getChildElementQName();
        String ns = name == null ? "" : name.getNamespaceURI();
        return ns.equals(Protocol.NAMESPACE) || ns.startsWith("urn:cloudextender:")
                ? StanzaError.Condition.feature_not_implemented
                : StanzaError.Condition.service_unavailable;
    }

    private static String describe(QName name) {
        if (name == null) {
            return "none";
        }
        return "'" + name.getLocalPart() + "' in namespace '" + name.getNamespaceURI() + "'";
    }

    @Override
    protected void sendStanzaInternal(Stanza stanza) throws SmackException.NotConnectedException, InterruptedException {
        String problem = unwritable(stanza);
        if (problem == null) {
            super.sendStanzaInternal(stanza);
            return;
        }
        if (stanza instanceof IQ iq && iq.isResponseIQ() && !(iq instanceof ErrorReplyIq)) {
            refusedStanza.accept("an answer to IQ " + iq.getStanzaId() + " could not be written (" + problem
                    + "); it is answered with internal-server-error instead");
            ErrorReplyIq replacement = new ErrorReplyIq(new AnswerAddress(iq),
                    StanzaError.getBuilder(StanzaError.Condition.internal_server_error).build());
            if (unwritable(replacement) == null) {
                super.sendStanzaInternal(replacement);
            }
            return;
        }
        throw new IllegalArgumentException("a stanza cannot be written to the stream: " + problem);
    }

    /** Why {@code stanza} cannot be written as well-formed XML, or null when it can. */
    static String unwritable(Stanza stanza) {
        CharSequence xml;
        try {
            xml = stanza.toXML();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        int bad = XmlChars.firstInvalid(xml);
        return bad < 0 ? null : String.format("character U+%04X at %d is not allowed in XML", (int) xml.charAt(bad), bad);
    }

    /** The addressing of an answer, seen as the request it answers, to build a replacement answer from. */
    private static final class AnswerAddress extends IQ {
        AnswerAddress(IQ answer) {
            super((String) null, null);
            setType(Type.get);
            setStanzaId(answer.getStanzaId());
            setFrom(answer.getTo());
            setTo(answer.getFrom());
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            return null;
        }
    }
}
