package com.cloudextender.core.protocol;

import java.io.IOException;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@link CommandIq}; never throws on missing or bad attributes (see {@link CommandIq}). */
public final class CommandIqProvider extends IQProvider<CommandIq> {
    @Override
    public CommandIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        String id = parser.getAttributeValue("", "id");
        String module = parser.getAttributeValue("", "module");
        String action = parser.getAttributeValue("", "action");
        Long timeout = parseLongOrNegative(parser.getAttributeValue("", "timeout-ms"));
        return new CommandIq(id, module, action, timeout, Texts.read(parser, initialDepth));
    }

    /** A present but unparseable value becomes -1, which the dispatcher reports as malformed. */
    private static Long parseLongOrNegative(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
