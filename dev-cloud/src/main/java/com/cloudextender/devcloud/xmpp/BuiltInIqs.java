package com.cloudextender.devcloud.xmpp;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * The IQs the server answers itself for a client's own account or the domain: XEP-0199 ping, the
 * legacy session establishment of RFC 3921 (some clients still send it), an empty roster (clients ask
 * for it at login; the cloud keeps no contacts) and a second bind, which is refused.
 */
final class BuiltInIqs {
    static final String PING_NS = "urn:xmpp:ping";
    static final String ROSTER_NS = "jabber:iq:roster";

    private BuiltInIqs() {
    }

    /** The answer to {@code request}, or null when it is not one of the built-in IQs. */
    static IQ answer(IQ request) {
        String element = request.getChildElementName();
        String namespace = request.getChildElementNamespace();
        if ("ping".equals(element) && PING_NS.equals(namespace)) {
            return IQ.createResultIQ(request);
        }
        if ("session".equals(element) && StreamXml.SESSION_NS.equals(namespace)) {
            return IQ.createResultIQ(request);
        }
        if ("query".equals(element) && ROSTER_NS.equals(namespace)) {
            if (request.getType() == IQ.Type.get) {
                IQ roster = new EmptyChildIq(element, namespace);
                roster.setType(IQ.Type.result);
                roster.setStanzaId(request.getStanzaId());
                roster.setTo(request.getFrom());
                return roster;
            }
            return IQ.createErrorResponse(request, StanzaError.getBuilder(StanzaError.Condition.not_allowed)
                    .setDescriptiveEnText("this server keeps no rosters").build());
        }
        if ("bind".equals(element) && StreamXml.BIND_NS.equals(namespace)) {
            return IQ.createErrorResponse(request, StanzaError.getBuilder(StanzaError.Condition.not_allowed)
                    .setDescriptiveEnText("a resource is already bound on this stream").build());
        }
        return null;
    }

    /** An IQ whose child is an empty element, such as an empty roster. */
    private static final class EmptyChildIq extends IQ {
        EmptyChildIq(String element, String namespace) {
            super(element, namespace);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.setEmptyElement();
            return xml;
        }
    }
}
