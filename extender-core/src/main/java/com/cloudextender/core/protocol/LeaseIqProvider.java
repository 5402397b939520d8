package com.cloudextender.core.protocol;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;

/** Parses {@link LeaseIq}; a number that is missing or not ASCII digits reads as 0 (not said). */
public final class LeaseIqProvider extends IQProvider<LeaseIq> {
    @Override
    public LeaseIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment) {
        return LeaseIq.parsed(parser.getAttributeValue("", "name"), parser.getAttributeValue("", "op"),
                parser.getAttributeValue("", "state"), number(parser.getAttributeValue("", "generation")),
                number(parser.getAttributeValue("", "term-ms")), parser.getAttributeValue("", "holder"),
                number(parser.getAttributeValue("", "retry-ms")));
    }

    static long number(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Long.parseLong(text);
    }
}
