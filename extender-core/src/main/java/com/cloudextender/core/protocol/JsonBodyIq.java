package com.cloudextender.core.protocol;

import org.jivesoftware.smack.packet.IQ;

/** An extender IQ whose child element carries attributes and a JSON text body. */
abstract class JsonBodyIq extends IQ {
    private final String body;

    JsonBodyIq(String element, String body) {
        super(element, Protocol.NAMESPACE);
        this.body = body == null ? "" : body;
    }

    /**
     * The element's text: JSON, escaped for XML on the wire, where a character XML does not allow (which JSON
     * strings may hold) is written as U+FFFD.
     */
    public String body() {
        return body;
    }

    protected abstract void attributes(IQChildElementXmlStringBuilder xml);

    /** Writes the attribute if {@code value} is not null, escaped so that it reads back unchanged. */
    protected static void optAttribute(IQChildElementXmlStringBuilder xml, String name, String value) {
        if (value != null) {
            xml.append(' ').append(name).append("='").append(XmlEscaping.attribute(value)).append('\'');
        }
    }

    @Override
    protected final IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        attributes(xml);
        if (body.isEmpty()) {
            xml.setEmptyElement();
        } else {
            xml.rightAngleBracket();
            xml.append(XmlEscaping.jsonContent(body));
        }
        return xml;
    }
}
