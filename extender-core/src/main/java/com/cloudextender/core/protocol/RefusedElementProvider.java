package com.cloudextender.core.protocol;

import java.io.IOException;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@link RefusedElement}. */
public final class RefusedElementProvider extends ExtensionElementProvider<RefusedElement> {
    @Override
    public RefusedElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        String code = parser.getAttributeValue("", "code");
        return new RefusedElement(code, Texts.read(parser, initialDepth));
    }
}
