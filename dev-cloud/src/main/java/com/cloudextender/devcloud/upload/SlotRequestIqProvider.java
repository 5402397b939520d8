package com.cloudextender.devcloud.upload;

import java.io.IOException;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

import com.cloudextender.core.protocol.Protocol;

/** Parses {@link SlotRequestIq}; {@link #register()} adds it to Smack's provider table. */
public final class SlotRequestIqProvider extends IQProvider<SlotRequestIq> {
    @Override
    public SlotRequestIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        String filename = parser.getAttributeValue("", "filename");
        String size = parser.getAttributeValue("", "size");
        String contentType = parser.getAttributeValue("", "content-type");
        String lease = null;
        long generation = 0;
        // A fence child from work under a lease (docs/PROTOCOL.md section 11); other children are skipped.
        while (true) {
            XmlPullParser.Event event = parser.next();
            if (event == XmlPullParser.Event.START_ELEMENT && parser.getDepth() == initialDepth + 1
                    && "fence".equals(parser.getName()) && Protocol.NAMESPACE.equals(parser.getNamespace())) {
                lease = parser.getAttributeValue("", "lease");
                generation = number(parser.getAttributeValue("", "generation"));
            } else if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                break;
            } else if (event == XmlPullParser.Event.END_DOCUMENT) {
                break;
            }
        }
        return new SlotRequestIq(filename, size, contentType, lease, generation);
    }

    private static long number(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Long.parseLong(text);
    }

    /** Registers the provider (idempotent). */
    public static void register() {
        ProviderManager.addIQProvider(SlotRequestIq.ELEMENT, SlotRequestIq.NAMESPACE, new SlotRequestIqProvider());
    }
}
