package com.cloudextender.core.protocol;

/**
 * Makes text that a sender controls (command ids, module and action names, addresses, server error
 * texts) safe to write into a log line or onto the status page. Control and invisible formatting
 * characters are escaped ({@code \n}, {@code \r}, {@code \t}, {@code \}{@code uXXXX}), so a value cannot
 * start a forged log line or hide text, and long values are cut with a marker that says how much was
 * left out, so a value cannot flood the log.
 *
 * <p>Use it wherever such text is logged; the text sent back to the cloud is XML-escaped by the stanza
 * writer and needs no escaping here.
 */
public final class WireText {
    /** Characters kept of a value by {@link #of(String)}. */
    public static final int DEFAULT_LIMIT = 128;

    private WireText() {
    }

    /** {@code text} escaped and cut at {@value #DEFAULT_LIMIT} characters; {@code (none)} for null. */
    public static String of(Object text) {
        return of(text, DEFAULT_LIMIT);
    }

    /**
     * {@code text} escaped and cut at {@code limit} characters of the original; {@code (none)} for null.
     * The cut never splits a surrogate pair, and says {@code …[+N chars]} so the reader knows text is missing.
     */
    public static String of(Object text, int limit) {
        if (text == null) {
            return "(none)";
        }
        String s = text.toString();
        int end = Math.min(s.length(), limit);
        if (end < s.length() && end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        StringBuilder b = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (unsafe(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (end < s.length()) {
            b.append("…[+").append(s.length() - end).append(" chars]");
        }
        return b.toString();
    }

    /**
     * C0 and C1 controls, DEL, line and paragraph separators, and format characters (bidirectional
     * overrides, zero-width characters) that can make a log line read differently from what it holds.
     * A surrogate half that is not part of a pair is escaped too: it is not text.
     */
    private static boolean unsafe(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || Character.isSurrogate(c);
    }
}
