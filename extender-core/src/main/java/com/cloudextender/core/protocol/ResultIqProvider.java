package com.cloudextender.core.protocol;

import java.io.IOException;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@link ResultIq}. */
public final class ResultIqProvider extends IQProvider<ResultIq> {
    @Override
    public ResultIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        String id = parser.getAttributeValue("", "id");
        String module = parser.getAttributeValue("", "module");
        String action = parser.getAttributeValue("", "action");
        String error = parser.getAttributeValue("", "error");
        long elapsed = 0;
        String elapsedText = parser.getAttributeValue("", "elapsed-ms");
        if (elapsedText != null) {
            try {
                elapsed = Long.parseLong(elapsedText);
            } catch (NumberFormatException e) {
                elapsed = -1;
            }
        }
        return new ResultIq(id, module, action, error, elapsed, Texts.read(parser, initialDepth));
    }
}
