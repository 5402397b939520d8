package com.cloudextender.core.protocol;

import java.io.IOException;

import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Reads the text content of the current element, skipping any child elements. */
final class Texts {
    private Texts() {
    }

    static String read(XmlPullParser parser, int initialDepth) throws XmlPullParserException, IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            XmlPullParser.Event event = parser.next();
            if (event == XmlPullParser.Event.TEXT_CHARACTERS || event == XmlPullParser.Event.ENTITY_REFERENCE) {
                text.append(parser.getText());
            } else if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                return text.toString();
            } else if (event == XmlPullParser.Event.END_DOCUMENT) {
                return text.toString();
            }
        }
    }
}
