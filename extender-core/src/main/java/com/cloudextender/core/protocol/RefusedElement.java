package com.cloudextender.core.protocol;

import javax.xml.namespace.QName;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * {@code <refused xmlns='urn:cloudextender:1' code='BUSY'>text</refused>}: the application-specific
 * condition inside an IQ error with which the extender refuses a command stanza it will not accept
 * at all (malformed, too large, not from the cloud, queue full). Nothing is stored for such a command.
 */
public final class RefusedElement implements ExtensionElement {
    public static final String ELEMENT = "refused";
    public static final QName QNAME = new QName(Protocol.NAMESPACE, ELEMENT);

    private final String code;
    private final String text;

    public RefusedElement(String code, String text) {
        this.code = code;
        this.text = text;
    }

    /** An {@link com.cloudextender.api.ErrorCode} name. */
    public String code() {
        return code;
    }

    public String text() {
        return text;
    }

    @Override
    public String getElementName() {
        return ELEMENT;
    }

    @Override
    public String getNamespace() {
        return Protocol.NAMESPACE;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosingNamespace) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosingNamespace);
        xml.optAttribute("code", code);
        if (text == null || text.isEmpty()) {
            xml.closeEmptyElement();
        } else {
            xml.rightAngleBracket().escape(XmlChars.clean(text)).closeElement(this);
        }
        return xml;
    }
}
