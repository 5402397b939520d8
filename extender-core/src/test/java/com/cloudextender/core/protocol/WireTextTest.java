package com.cloudextender.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WireTextTest {
    @Test
    void lineBreaksAndControlsAreEscaped() {
        assertEquals("a\\r\\nb\\tc\\u0000d\\u001be", WireText.of("a\r\nb\tc\u0000d\u001be"));
        assertEquals("x\\u2028y\\u0085z", WireText.of("x\u2028y\u0085z"));
    }

    @Test
    void invisibleFormattingIsEscaped() {
        // A right-to-left override makes a log line read backwards; a zero-width space hides a difference.
        assertEquals("user\\u202eexe.txt\\u200b", WireText.of("user\u202eexe.txt\u200b"));
    }

    @Test
    void backslashIsEscapedSoAnEscapeCannotBeForged() {
        assertEquals("a\\\\nb", WireText.of("a\\nb"));
    }

    @Test
    void ordinaryTextIsKeptIncludingOtherScripts() {
        assertEquals("cmd-42 Grüße 日本 😀", WireText.of("cmd-42 Grüße 日本 😀"));
    }

    @Test
    void longTextIsCutWithAMarker() {
        String s = WireText.of("x".repeat(1000));
        assertTrue(s.startsWith("x".repeat(128) + "…[+872 chars]"), s);
        assertEquals(128 + "…[+872 chars]".length(), s.length());
        assertEquals("abc…[+2 chars]", WireText.of("abcde", 3));
    }

    @Test
    void cutNeverSplitsASurrogatePairAndLoneHalvesAreEscaped() {
        String s = WireText.of("ab😀", 3);
        assertEquals("ab…[+2 chars]", s);
        assertEquals("a\\ud83db", WireText.of("a\ud83db"));
    }

    @Test
    void nullIsSaidPlainly() {
        assertEquals("(none)", WireText.of(null));
        assertFalse(WireText.of(new StringBuilder("x\ny")).contains("\n"));
    }
}
