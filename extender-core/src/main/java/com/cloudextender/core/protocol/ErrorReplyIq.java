package com.cloudextender.core.protocol;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * An IQ error answering a request, made of the request's id and sender and the error only. Smack's own
 * {@code IQ.createErrorResponse} copies the request's child element into the answer (RFC 6120 allows it);
 * for an element Smack could not parse that copy is not well-formed XML, and for an element without a
 * namespace it cannot be written at all. Whatever the request contained, this answer can be written.
 */
public final class ErrorReplyIq extends IQ {
    public ErrorReplyIq(IQ request, StanzaError error) {
        super((String) null, null);
        setType(Type.error);
        setStanzaId(request.getStanzaId());
        setTo(request.getFrom());
        setFrom(request.getTo());
        setError(error);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        return null; // no child element: the error alone
    }
}
