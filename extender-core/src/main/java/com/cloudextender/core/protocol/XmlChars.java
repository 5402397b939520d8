package com.cloudextender.core.protocol;

/**
 * The characters XML 1.0 allows in a document (section 2.2). A stanza with any other character is not
 * well-formed: a server closes the stream on it. Text that reached the extender from outside (command
 * ids, arguments echoed in results, module output) may hold such characters, so stanzas are checked, and
 * text is cleaned, before they are written.
 */
public final class XmlChars {
    private XmlChars() {
    }

    /** The index of the first character XML does not allow in {@code s}, or -1. */
    public static int firstInvalid(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0xD800 || c == '\n' || c == '\r' || c == '\t' || c >= 0xE000 && c <= 0xFFFD) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    /** {@code s} with each character XML does not allow replaced by U+FFFD; {@code s} itself when it has none. */
    public static String clean(String s) {
        if (s == null || firstInvalid(s) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c >= 0x20 && c < 0xD800 || c == '\n' || c == '\r' || c == '\t' || c >= 0xE000 && c <= 0xFFFD) {
                b.append(c);
            } else {
                b.append('\uFFFD');
            }
        }
        return b.toString();
    }
}
