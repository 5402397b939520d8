package com.cloudextender.devcloud.xmpp;

import java.io.IOException;
import java.util.Locale;

import org.jivesoftware.smack.packet.Bind;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Domainpart;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.auth.RandomTokens;

/**
 * Takes a new client stream from its first byte to a bound resource (RFC 6120 sections 4 to 7):
 * stream header, STARTTLS when the connection is not yet secure (required: nothing else is accepted
 * before TLS), SASL PLAIN, stream restart, resource binding. Errors end the stream with the stream
 * error RFC 6120 prescribes.
 */
final class Negotiator {
    private static final Logger LOG = LoggerFactory.getLogger(Negotiator.class);
    /** Failed SASL attempts allowed on one stream before it is closed. */
    private static final int MAX_AUTH_ATTEMPTS = 3;

    /** The outcome: the client's full JID and the bind request still to be answered. */
    record Bound(EntityFullJid jid, IQ bindRequest) {
    }

    private final XmlStream stream;
    private final XmppServerContext context;

    Negotiator(XmlStream stream, XmppServerContext context) {
        this.stream = stream;
        this.context = context;
    }

    /** Runs the negotiation; returns null when the client closes the stream before binding. */
    Bound negotiate() throws IOException, XmlPullParserException, StreamFailure {
        if (!stream.isSecure()) {
            if (!openStream(StreamXml.FEATURES_STARTTLS)) {
                return null;
            }
            if (!stream.nextTopLevelElement()) {
                return null;
            }
            XmlPullParser parser = stream.parser();
            if (!("starttls".equals(parser.getName()) && StreamXml.TLS_NS.equals(parser.getNamespace()))) {
                throw new StreamFailure("policy-violation",
                        "TLS is required: send <starttls/> before <" + parser.getName() + "/>");
            }
            stream.skipRestOfTopLevelElement();
            stream.write(StreamXml.TLS_PROCEED);
            stream.upgradeToTls(context.tls());
        }
        if (!openStream(StreamXml.FEATURES_SASL)) {
            return null;
        }
        String localpart = authenticate();
        if (localpart == null || !openStream(StreamXml.FEATURES_BIND)) {
            return null;
        }
        return bind(localpart);
    }

    /** Waits for the client's stream header, checks it, answers with ours and {@code features}. */
    private boolean openStream(String features) throws IOException, XmlPullParserException, StreamFailure {
        if (!stream.awaitStreamHeader()) {
            return false;
        }
        XmlPullParser parser = stream.parser();
        String id = RandomTokens.urlSafe(9);
        stream.write(StreamXml.header(context.domainName(), id));
        if (!"stream".equals(parser.getName()) || !StreamXml.STREAMS_NS.equals(parser.getNamespace())) {
            throw new StreamFailure("invalid-namespace",
                    "expected <stream:stream xmlns:stream='" + StreamXml.STREAMS_NS + "'>, got <" + parser.getName() + ">");
        }
        if (!StreamXml.CLIENT_NS.equals(parser.getNamespace(null))) {
            throw new StreamFailure("invalid-namespace", "the stream's default namespace must be " + StreamXml.CLIENT_NS);
        }
        String to = parser.getAttributeValue("", "to");
        if (to != null && !to.equalsIgnoreCase(context.domainName())) {
            throw new StreamFailure("host-unknown", "this server serves '" + context.domainName() + "', not '" + to + "'");
        }
        stream.write(features);
        return true;
    }

    /** SASL PLAIN (RFC 6120 section 6, RFC 4616); returns the authenticated localpart or null on close. */
    private String authenticate() throws IOException, XmlPullParserException, StreamFailure {
        int failures = 0;
        while (true) {
            if (!stream.nextTopLevelElement()) {
                return null;
            }
            XmlPullParser parser = stream.parser();
            if (!StreamXml.SASL_NS.equals(parser.getNamespace())) {
                throw new StreamFailure("not-authorized", "authenticate first; <" + parser.getName()
                        + "/> is not allowed before SASL succeeds");
            }
            if ("abort".equals(parser.getName())) {
                stream.skipRestOfTopLevelElement();
                stream.write(StreamXml.saslFailure("aborted"));
                continue;
            }
            if (!"auth".equals(parser.getName())) {
                throw new StreamFailure("not-authorized", "expected <auth/>, got <" + parser.getName() + "/>");
            }
            String mechanism = parser.getAttributeValue("", "mechanism");
            String message = parser.nextText();
            // A fault after the bind is the session's to apply.
            HandshakeFault fault = context.nextFault().getAndUpdate(f -> f != null && f.afterBind() ? f : null);
            fault = fault != null && fault.afterBind() ? null : fault;
            if (fault != null) {
                return injected(fault);
            }
            Attempt attempt = "PLAIN".equals(mechanism) ? tryPlain(message) : Attempt.failed("invalid-mechanism");
            if (attempt.localpart() != null) {
                stream.write(StreamXml.SASL_SUCCESS);
                return attempt.localpart();
            }
            stream.write(StreamXml.saslFailure(attempt.failure()));
            if (++failures >= MAX_AUTH_ATTEMPTS) {
                throw new StreamFailure("policy-violation", "too many failed authentication attempts");
            }
        }
    }

    /** Applies a fault injected by a test; ends the set-up (null: the stream ended) or throws to drop it. */
    private String injected(HandshakeFault fault) throws IOException, XmlPullParserException {
        LOG.info("Injecting fault {} into the stream set-up of {}", fault, stream.peer());
        if (fault == HandshakeFault.CUT_AFTER_AUTH) {
            stream.socket().setSoLinger(true, 0); // a reset, as when a network path drops
            throw new IOException("connection cut after <auth/> (injected fault)");
        }
        while (stream.nextTopLevelElement()) { // stalled: read, answer nothing, until the client gives up
            stream.skipRestOfTopLevelElement();
        }
        return null;
    }

    /** One authentication attempt: the authenticated localpart, or the SASL failure condition. */
    private record Attempt(String localpart, String failure) {
        static Attempt failed(String condition) {
            return new Attempt(null, condition);
        }
    }

    /** Checks one PLAIN message. */
    private Attempt tryPlain(String message) throws IOException, XmlPullParserException, StreamFailure {
        if (message == null || message.isBlank()) {
            // No initial response: ask for it with an empty challenge (RFC 6120 section 6.4.2).
            stream.write(StreamXml.SASL_EMPTY_CHALLENGE);
            if (!stream.nextTopLevelElement()) {
                throw new StreamFailure("not-authorized", "the stream ended during authentication");
            }
            XmlPullParser parser = stream.parser();
            if (!"response".equals(parser.getName()) || !StreamXml.SASL_NS.equals(parser.getNamespace())) {
                stream.skipRestOfTopLevelElement();
                return Attempt.failed("abort".equals(parser.getName()) ? "aborted" : "malformed-request");
            }
            message = parser.nextText();
        }
        SaslPlain plain;
        try {
            plain = SaslPlain.decode(message);
        } catch (IllegalArgumentException e) {
            LOG.warn("Malformed SASL PLAIN message from {}: {}", stream.peer(), e.getMessage());
            return Attempt.failed("malformed-request");
        }
        String localpart = plain.localpart(context.domainName());
        if (localpart == null) {
            LOG.warn("Authentication from {} as '{}' refused: not an account of {}", stream.peer(), plain.authcid(),
                    context.domainName());
            return Attempt.failed("not-authorized");
        }
        if (!plain.authzidMatches(localpart, context.domainName())) {
            LOG.warn("Authentication from {} as '{}' refused: it asks to act as '{}'", stream.peer(), localpart,
                    plain.authzid());
            return Attempt.failed("invalid-authzid");
        }
        String refusal = context.credentials().refusalReason(localpart, plain.password());
        if (refusal != null) {
            LOG.warn("Authentication from {} as '{}' refused: {}", stream.peer(), localpart, refusal);
            return Attempt.failed("not-authorized");
        }
        return new Attempt(localpart, null);
    }

    /** Waits for the bind IQ (RFC 6120 section 7) and decides the full JID, using the requested resource. */
    private Bound bind(String localpart) throws IOException, XmlPullParserException, StreamFailure {
        if (!stream.nextTopLevelElement()) {
            return null;
        }
        XmlPullParser parser = stream.parser();
        if (!"iq".equals(parser.getName())) {
            throw new StreamFailure("not-authorized", "bind a resource before sending <" + parser.getName() + "/>");
        }
        Stanza stanza;
        try {
            stanza = PacketParserUtils.parseStanza(parser, stream.environment());
        } catch (SmackParsingException | IllegalArgumentException e) {
            throw new StreamFailure("bad-format", "cannot parse the bind request: " + e.getMessage());
        }
        if (!(stanza instanceof Bind) || ((Bind) stanza).getType() != IQ.Type.set) {
            throw new StreamFailure("not-authorized", "bind a resource before sending other stanzas");
        }
        Bind request = (Bind) stanza;
        Resourcepart resource = request.getResource();
        if (resource == null) {
            resource = Resourcepart.from("dc-" + RandomTokens.lowerAlphanumeric(8));
        }
        EntityFullJid jid = JidCreate.entityFullFrom(Localpart.from(localpart.toLowerCase(Locale.ROOT)),
                Domainpart.from(context.domainName()), resource);
        return new Bound(jid, request);
    }
}
