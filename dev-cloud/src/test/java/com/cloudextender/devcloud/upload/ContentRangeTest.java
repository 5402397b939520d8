package com.cloudextender.devcloud.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ContentRangeTest {
    @Test
    void parsesARange() {
        ContentRange range = ContentRange.parse("bytes 40-99/100");

        assertEquals(new ContentRange(40, 99, 100), range);
        assertEquals(60, range.length());
    }

    @Test
    void absentIsNull() {
        assertNull(ContentRange.parse(null));
    }

    @Test
    void rejectsMalformedAndImpossibleRanges() {
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes */100"));
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes 10-5/100"));
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes 0-100/100"));
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes 0-1/99999999999999999999"));
    }

    @Test
    void fileNamesAreSanitised() {
        assertEquals("users-0001.json.gz", UploadSlots.sanitise("users-0001.json.gz"));
        assertEquals("passwd", UploadSlots.sanitise("../../etc/passwd"));
        assertEquals("evil.txt", UploadSlots.sanitise("C:\\temp\\evil.txt"));
        assertEquals("_hidden", UploadSlots.sanitise(".hidden"));
        assertEquals("a_b_c", UploadSlots.sanitise("a b\u00e9c"));
        assertEquals("upload", UploadSlots.sanitise("/"));
    }
}
