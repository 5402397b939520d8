package com.cloudextender.core.module.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DigestsTest {
    private static final String A = "a".repeat(64);
    private static final String B = "0123456789abcdef".repeat(4);

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Digests.parse(text.getBytes(StandardCharsets.UTF_8)))
                .getMessage();
    }

    @Test
    void writesSortedCanonicalLinesAndReadsThemBack() {
        Digests d = new Digests(new TreeMap<>(Map.of("module.properties", B, "lib/a.jar", A)));
        String text = "SHA-256 " + A + " lib/a.jar\nSHA-256 " + B + " module.properties\n";
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), d.toBytes());
        assertEquals(d, Digests.parse(d.toBytes()));
    }

    @Test
    void refusesAnythingNotCanonical() {
        assertEquals("DIGESTS does not end with a line break", refusal("SHA-256 " + A + " lib/a.jar"));
        assertEquals("DIGESTS line 2 is not \"SHA-256 <lower-case hex> <path>\"", refusal("SHA-256 " + A + " lib/a.jar\n\n"));
        assertEquals("DIGESTS line 1 is not \"SHA-256 <lower-case hex> <path>\"", refusal("SHA-256 " + A.toUpperCase() + " x\n"));
        assertEquals("DIGESTS line 1 is not \"SHA-256 <lower-case hex> <path>\"", refusal("SHA-256  " + A + " x\n"));
        assertEquals("DIGESTS line 2 (lib/a.jar) is out of order or repeated",
                refusal("SHA-256 " + A + " module.properties\nSHA-256 " + A + " lib/a.jar\n"));
        assertEquals("DIGESTS line 2 (x) is out of order or repeated", refusal("SHA-256 " + A + " x\nSHA-256 " + B + " x\n"));
    }
}
