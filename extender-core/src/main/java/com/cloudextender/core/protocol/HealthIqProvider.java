package com.cloudextender.core.protocol;

import java.io.IOException;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@link HealthIq}. */
public final class HealthIqProvider extends IQProvider<HealthIq> {
    @Override
    public HealthIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        return new HealthIq(Texts.read(parser, initialDepth));
    }
}
