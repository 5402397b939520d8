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
        Long timeout = timeoutMillis(parser.getAttributeValue("", "timeout-ms"));
        return new CommandIq(id, module, action, timeout, Texts.read(parser, initialDepth));
    }

    /**
     * The {@code timeout-ms} attribute: ASCII digits only, nothing else (no sign, no blanks, no other
     * script's digits, which {@link Long#parseLong} would accept). A present but unparseable value becomes
     * -1, which the dispatcher reports as malformed. A number too large for a {@code long} becomes
     * {@link Long#MAX_VALUE}: it is a valid, if absurd, limit, and the dispatcher clamps it to
     * {@code commands.maxTimeout}.
     */
    static Long timeoutMillis(String s) {
        if (s == null) {
            return null;
        }
        if (s.isEmpty()) {
            return -1L;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1L;
            }
            if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                n = Long.MAX_VALUE;
            } else if (n != Long.MAX_VALUE) {
                n = n * 10 + (c - '0');
            }
        }
        return n;
    }
}
