package com.cloudextender.devcloud.upload;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's {@code Content-Range: bytes START-END/TOTAL} (RFC 9110 section 14.4), with which a PUT
 * continues an interrupted upload.
 *
 * @param start first byte offset, inclusive
 * @param end last byte offset, inclusive
 * @param total the complete size
 */
record ContentRange(long start, long end, long total) {
    private static final Pattern FORMAT = Pattern.compile("\\s*bytes\\s+(\\d+)-(\\d+)/(\\d+)\\s*");

    /** Parses {@code header}; null when absent; {@link IllegalArgumentException} with the reason when malformed. */
    static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = FORMAT.matcher(header);
        if (!m.matches()) {
            throw new IllegalArgumentException("Content-Range must look like 'bytes START-END/TOTAL', not '" + header + "'");
        }
        try {
            ContentRange range = new ContentRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)));
            if (range.end < range.start || range.end >= range.total) {
                throw new IllegalArgumentException("Content-Range '" + header + "' is not a range inside the total");
            }
            return range;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Content-Range '" + header + "' has a number out of range");
        }
    }

    long length() {
        return end - start + 1;
    }
}
