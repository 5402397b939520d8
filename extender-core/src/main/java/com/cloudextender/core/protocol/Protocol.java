package com.cloudextender.core.protocol;

import org.jivesoftware.smack.provider.ProviderManager;

/**
 * The extender's XMPP vocabulary, specified in docs/PROTOCOL.md. Both sides (extender and cloud)
 * register the same providers, so one set of classes writes and reads every stanza.
 */
public final class Protocol {
    /** Namespace of every extender-specific element. */
    public static final String NAMESPACE = "urn:cloudextender:1";

    private Protocol() {
    }

    /**
     * Registers the parsers for the extender's elements with Smack. Idempotent; call before connecting.
     * Smack keeps providers in a process-wide table, which is why this is explicit rather than hidden
     * in a static initialiser.
     */
    public static void registerProviders() {
        // Smack picks the StAX parser when both are present; StAX reports a socket closed mid-stream as
        // malformed XML, which would make every dropped connection look like a protocol error in the logs.
        org.jivesoftware.smack.xml.SmackXmlParser.setXmlPullParserFactory(
                new org.jivesoftware.smack.xml.xpp3.Xpp3XmlPullParserFactory());
        ProviderManager.addIQProvider(CommandIq.ELEMENT, NAMESPACE, new CommandIqProvider());
        ProviderManager.addIQProvider(AcceptedIq.ELEMENT, NAMESPACE, new AcceptedIqProvider());
        ProviderManager.addIQProvider(ResultIq.ELEMENT, NAMESPACE, new ResultIqProvider());
        ProviderManager.addIQProvider(HealthIq.ELEMENT, NAMESPACE, new HealthIqProvider());
        ProviderManager.addIQProvider(LeaseIq.ELEMENT, NAMESPACE, new LeaseIqProvider());
        ProviderManager.addExtensionProvider(RefusedElement.ELEMENT, NAMESPACE, new RefusedElementProvider());
        ProviderManager.addIQProvider(org.jivesoftware.smackx.httpfileupload.element.Slot.ELEMENT,
                org.jivesoftware.smackx.httpfileupload.element.Slot.NAMESPACE,
                new org.jivesoftware.smackx.httpfileupload.provider.SlotProvider());
    }
}
