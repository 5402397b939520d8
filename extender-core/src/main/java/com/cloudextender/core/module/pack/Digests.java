package com.cloudextender.core.module.pack;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code DIGESTS} entry of a package: one line per other entry, sorted by path, each
 * {@code "SHA-256 <lower-case hex> <path>\n"}. The signature covers exactly these bytes, so the
 * format is written and read strictly: one spelling per content.
 *
 * @param sha256ByPath lower-case hex SHA-256 by entry path, sorted by path
 */
record Digests(SortedMap<String, String> sha256ByPath) {
    private static final Pattern LINE = Pattern.compile("SHA-256 ([0-9a-f]{64}) (\\S+)");

    Digests {
        sha256ByPath = Collections.unmodifiableSortedMap(new TreeMap<>(sha256ByPath));
    }

    /** The canonical text. */
    byte[] toBytes() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : sha256ByPath.entrySet()) {
            b.append("SHA-256 ").append(e.getValue()).append(' ').append(e.getKey()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses the canonical text.
     *
     * @throws IllegalArgumentException naming the line that is not canonical
     */
    static Digests parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("DIGESTS does not end with a line break");
        }
        TreeMap<String, String> map = new TreeMap<>();
        if (text.isEmpty()) {
            return new Digests(map);
        }
        String previous = null;
        int lineNumber = 0;
        // Without the final line break, every piece is a line; an empty one is malformed.
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            lineNumber++;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("DIGESTS line " + lineNumber + " is not \"SHA-256 <lower-case hex> <path>\"");
            }
            String path = m.group(2);
            if (previous != null && previous.compareTo(path) >= 0) {
                throw new IllegalArgumentException("DIGESTS line " + lineNumber + " (" + path + ") is out of order or repeated");
            }
            map.put(path, m.group(1));
            previous = path;
        }
        return new Digests(map);
    }

    /** Lower-case hex of {@code digest}. */
    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
