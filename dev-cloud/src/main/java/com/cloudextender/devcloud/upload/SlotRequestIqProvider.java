package com.cloudextender.devcloud.upload;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;

/** Parses {@link SlotRequestIq}; {@link #register()} adds it to Smack's provider table. */
public final class SlotRequestIqProvider extends IQProvider<SlotRequestIq> {
    @Override
    public SlotRequestIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment) {
        return new SlotRequestIq(parser.getAttributeValue("", "filename"), parser.getAttributeValue("", "size"),
                parser.getAttributeValue("", "content-type"));
    }

    /** Registers the provider (idempotent). */
    public static void register() {
        ProviderManager.addIQProvider(SlotRequestIq.ELEMENT, SlotRequestIq.NAMESPACE, new SlotRequestIqProvider());
    }
}
