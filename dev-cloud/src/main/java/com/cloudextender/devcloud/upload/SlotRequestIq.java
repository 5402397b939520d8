package com.cloudextender.devcloud.upload;

import org.jivesoftware.smack.packet.IQ;

/**
 * {@code <request xmlns='urn:xmpp:http:upload:0' filename='…' size='…' content-type='…'/>}: an
 * extender asks for an upload slot (XEP-0363, docs/PROTOCOL.md section 7). Parsing is lenient; the
 * slot service validates and answers with a precise error.
 */
public final class SlotRequestIq extends IQ {
    public static final String ELEMENT = "request";
    public static final String NAMESPACE = "urn:xmpp:http:upload:0";

    private final String filename;
    private final String size;
    private final String contentType;
    private final String fenceLease;
    private final long fenceGeneration;

    public SlotRequestIq(String filename, String size, String contentType) {
        this(filename, size, contentType, null, 0);
    }

    /** A request with a lease fence ({@code <fence xmlns='urn:cloudextender:1' lease generation/>}); see docs/PROTOCOL.md section 11. */
    public SlotRequestIq(String filename, String size, String contentType, String fenceLease, long fenceGeneration) {
        super(ELEMENT, NAMESPACE);
        this.filename = filename;
        this.size = size;
        this.contentType = contentType;
        this.fenceLease = fenceLease;
        this.fenceGeneration = fenceGeneration;
        setType(Type.get);
    }

    /** The lease the upload is fenced by, or null for an unfenced upload. */
    public String fenceLease() {
        return fenceLease;
    }

    /** The fence's generation (0 when unfenced or not a number). */
    public long fenceGeneration() {
        return fenceGeneration;
    }

    /** The requested file name as sent, possibly null. */
    public String filename() {
        return filename;
    }

    /** The announced size as sent (text, possibly null or not a number). */
    public String size() {
        return size;
    }

    public String contentType() {
        return contentType;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.optAttribute("filename", filename);
        xml.optAttribute("size", size);
        xml.optAttribute("content-type", contentType);
        xml.setEmptyElement();
        return xml;
    }
}
