package com.cloudextender.devcloud.xmpp;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.StringUtils;

/**
 * The stream-level XML of RFC 6120 that is not a stanza: stream headers, features, STARTTLS and SASL
 * elements, stream errors. Written as text because it is fixed and tiny.
 */
final class StreamXml {
    static final String STREAMS_NS = "http://etherx.jabber.org/streams";
    static final String CLIENT_NS = "jabber:client";
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    static final String STREAM_ERRORS_NS = "urn:ietf:params:xml:ns:xmpp-streams";

    /** The environment of stanzas inside a client stream: no need to repeat {@code xmlns='jabber:client'}. */
    static final XmlEnvironment CLIENT_ENVIRONMENT = XmlEnvironment.builder().withNamespace(CLIENT_NS).build();

    static final String FEATURES_STARTTLS = "<stream:features><starttls xmlns='" + TLS_NS
            + "'><required/></starttls></stream:features>";
    static final String FEATURES_SASL = "<stream:features><mechanisms xmlns='" + SASL_NS
            + "'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
    /** After authentication only binding is offered; no session establishment (RFC 6121 made it obsolete). */
    static final String FEATURES_BIND = "<stream:features><bind xmlns='" + BIND_NS + "'/></stream:features>";

    static final String TLS_PROCEED = "<proceed xmlns='" + TLS_NS + "'/>";
    static final String SASL_SUCCESS = "<success xmlns='" + SASL_NS + "'/>";
    static final String SASL_EMPTY_CHALLENGE = "<challenge xmlns='" + SASL_NS + "'/>";
    static final String STREAM_CLOSE = "</stream:stream>";

    private StreamXml() {
    }

    /** The server's stream header for a stream with {@code id}. */
    static String header(String domain, String id) {
        return "<?xml version='1.0'?><stream:stream xmlns='" + CLIENT_NS + "' xmlns:stream='" + STREAMS_NS
                + "' id='" + id + "' from='" + StringUtils.escapeForXmlAttributeApos(domain)
                + "' version='1.0' xml:lang='en'>";
    }

    /** {@code <failure xmlns='…sasl'><condition/></failure>}. */
    static String saslFailure(String condition) {
        return "<failure xmlns='" + SASL_NS + "'><" + condition + "/></failure>";
    }

    /** A stream error with an optional text, followed by the end of the stream (RFC 6120 section 4.9). */
    static String streamError(String condition, String text) {
        StringBuilder xml = new StringBuilder("<stream:error><").append(condition).append(" xmlns='")
                .append(STREAM_ERRORS_NS).append("'/>");
        if (text != null) {
            xml.append("<text xmlns='").append(STREAM_ERRORS_NS).append("'>")
                    .append(StringUtils.escapeForXmlText(text)).append("</text>");
        }
        return xml.append("</stream:error>").append(STREAM_CLOSE).toString();
    }
}
