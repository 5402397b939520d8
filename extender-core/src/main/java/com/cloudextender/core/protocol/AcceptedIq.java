package com.cloudextender.core.protocol;

import org.jivesoftware.smack.packet.IQ;

/**
 * {@code <accepted xmlns='urn:cloudextender:1' id='…' state='queued|running|done'/>}: the extender's
 * immediate IQ result to a command. It means "stored or running; the result will follow as a
 * {@link ResultIq}". For a redelivered command whose result exists, {@code state='done'} and the
 * stored result is sent again.
 */
public final class AcceptedIq extends IQ {
    public static final String ELEMENT = "accepted";

    private final String commandId;
    private final String state;

    public AcceptedIq(String commandId, String state) {
        super(ELEMENT, Protocol.NAMESPACE);
        this.commandId = commandId;
        this.state = state;
        setType(Type.result);
    }

    public String commandId() {
        return commandId;
    }

    public String state() {
        return state;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.optAttribute("id", XmlChars.clean(commandId));
        xml.optAttribute("state", state);
        xml.setEmptyElement();
        return xml;
    }
}
