package com.cloudextender.core.protocol;

/**
 * Escaping for the extender's own elements, stricter than the stanza writer's: what is written must
 * read back as exactly the same value, and must be well-formed XML whatever it holds, because a stanza the
 * server cannot parse closes the stream and would be sent again after every reconnect.
 *
 * <p>Tab, line feed and carriage return become character references (a parser would turn them into spaces
 * in an attribute, and a lone carriage return into a line feed in text). Characters XML 1.0 cannot carry
 * at all (other controls, U+FFFE, U+FFFF, a surrogate half without its pair) cannot be written as
 * references either: in a JSON body they become JSON escapes ({@code \}{@code u0001}), which keep the
 * JSON's meaning, and in an attribute U+FFFD.
 */
final class XmlEscaping {
    private XmlEscaping() {
    }

    /** {@code value} escaped for an attribute in single or double quotes. */
    static String attribute(String value) {
        return escape(value, true);
    }

    /** {@code json} escaped for element content. */
    static String jsonContent(String json) {
        return escape(json, false);
    }

    private static String escape(String s, boolean attribute) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append(attribute ? "&apos;" : "'");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\t' -> b.append(attribute ? "&#9;" : "\t");
                case '\n' -> b.append(attribute ? "&#10;" : "\n");
                case '\r' -> b.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0xFFFE || c == 0xFFFF || Character.isSurrogate(c)) {
                        b.append(attribute ? "\uFFFD" : String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
