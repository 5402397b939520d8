package com.cloudextender.core.protocol;

import org.jivesoftware.smackx.httpfileupload.element.SlotRequest;
import org.jxmpp.jid.DomainBareJid;

/**
 * An upload slot request (XEP-0363) made by singleton work under a lease: it carries
 * {@code <fence xmlns='urn:cloudextender:1' lease='…' generation='N'/>}, so that the cloud refuses the slot
 * when a newer generation of that lease has begun (docs/PROTOCOL.md section 11).
 */
public final class FencedSlotRequest extends SlotRequest {
    public static final String FENCE = "fence";

    private final String lease;
    private final long generation;

    public FencedSlotRequest(DomainBareJid uploadService, String filename, long size, String contentType, String lease,
            long generation) {
        super(uploadService, filename, size, contentType);
        this.lease = lease;
        this.generation = generation;
    }

    public String lease() {
        return lease;
    }

    public long generation() {
        return generation;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.attribute("filename", getFilename());
        xml.attribute("size", String.valueOf(getSize()));
        xml.optAttribute("content-type", getContentType());
        xml.rightAngleBracket();
        xml.halfOpenElement(FENCE).xmlnsAttribute(Protocol.NAMESPACE).attribute("lease", XmlChars.clean(lease))
                .attribute("generation", Long.toString(generation)).closeEmptyElement();
        return xml;
    }
}
