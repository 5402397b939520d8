package com.cloudextender.core.protocol;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;

/** Parses {@link AcceptedIq}. */
public final class AcceptedIqProvider extends IQProvider<AcceptedIq> {
    @Override
    public AcceptedIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment) {
        return new AcceptedIq(parser.getAttributeValue("", "id"), parser.getAttributeValue("", "state"));
    }
}
