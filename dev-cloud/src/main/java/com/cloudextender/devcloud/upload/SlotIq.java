package com.cloudextender.devcloud.upload;

import org.jivesoftware.smack.packet.IQ;

/**
 * The answer to a {@link SlotRequestIq}:
 * {@code <slot xmlns='urn:xmpp:http:upload:0'><put url='…'><header name='Authorization'>…</header></put><get url='…'/></slot>}.
 */
public final class SlotIq extends IQ {
    public static final String ELEMENT = "slot";

    private final String putUrl;
    private final String authorization;
    private final String getUrl;

    public SlotIq(String putUrl, String authorization, String getUrl) {
        super(ELEMENT, SlotRequestIq.NAMESPACE);
        this.putUrl = putUrl;
        this.authorization = authorization;
        this.getUrl = getUrl;
        setType(Type.result);
    }

    public String putUrl() {
        return putUrl;
    }

    /** The value of the {@code Authorization} header the PUT must carry. */
    public String authorization() {
        return authorization;
    }

    public String getUrl() {
        return getUrl;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.rightAngleBracket();
        xml.halfOpenElement("put").attribute("url", putUrl).rightAngleBracket();
        xml.halfOpenElement("header").attribute("name", "Authorization").rightAngleBracket();
        xml.escape(authorization);
        xml.closeElement("header");
        xml.closeElement("put");
        xml.halfOpenElement("get").attribute("url", getUrl).closeEmptyElement();
        return xml;
    }
}
