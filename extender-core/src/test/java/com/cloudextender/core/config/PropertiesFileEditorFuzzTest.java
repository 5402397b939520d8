package com.cloudextender.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The setup wizard's edits of an administrator's file, whatever the file holds: after setting a key, the
 * file read as properties has exactly that value for it; after removing one, the key is gone; every
 * other key keeps its value.
 */
class PropertiesFileEditorFuzzTest {
    private static final String KEY_CHARS = "abcxyz.-_019";

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void setKeyReadsBackAndOthersStay(FuzzedDataProvider data) throws Exception {
        List<String> lines = new ArrayList<>();
        int n = data.consumeInt(0, 12);
        for (int i = 0; i < n; i++) {
            lines.add(lineFrom(data.consumeString(80)));
        }
        String key = key(data);
        String value = data.consumeBoolean() ? null : lineFrom(data.consumeString(60));
        Properties before = load(lines);
        if (before == null) {
            return; // a malformed \\u escape: the file cannot be read at all, before or after any edit
        }
        List<String> after = PropertiesFileEditor.of(lines).set(key, value).lines();
        Properties read = load(after);
        assertNotNull(read, "the edit made the file unreadable; lines " + after);
        assertEquals(value, read.getProperty(key), "value of " + key + " after setting it; lines " + after);
        before.remove(key);
        read.remove(key);
        assertEquals(before, read, "other keys changed; lines " + after);
    }

    /** Keys as the wizard writes them (letters, digits, dots, dashes). */
    private static String key(FuzzedDataProvider data) {
        int len = data.consumeInt(1, 6);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append(KEY_CHARS.charAt(data.consumeInt(0, KEY_CHARS.length() - 1)));
        }
        return b.toString();
    }

    /** One line of a file as read by lines: no line break inside, no character a UTF-8 file cannot hold. */
    private static String lineFrom(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().filter(c -> c != '\n' && c != '\r' && !(c >= 0xD800 && c <= 0xDFFF)).forEach(b::appendCodePoint);
        return b.toString();
    }

    private static Properties load(List<String> lines) throws Exception {
        Properties p = new Properties();
        try {
            p.load(new StringReader(String.join("\n", lines) + "\n"));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return p;
    }

}
