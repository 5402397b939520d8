package com.cloudextender.core.module.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleVersionTest {
    private static ModuleVersion v(String text) {
        return ModuleVersion.parse(text);
    }

    @Test
    void missingNumbersCountAsZero() {
        assertEquals(0, v("1.2").compareTo(v("1.2.0")));
        assertEquals(v("1.2"), v("1.2.0"));
        assertEquals(v("1.2").hashCode(), v("1.2.0").hashCode());
        assertEquals("1.2", v("1.2").toString(), "the text as written");
    }

    @Test
    void numbersCompareNumerically() {
        assertTrue(v("1.2.0").compareTo(v("1.10.0")) < 0);
        assertTrue(v("1.10.0").compareTo(v("1.2")) > 0);
        assertTrue(v("2").compareTo(v("1.99.99")) > 0);
    }

    @Test
    void preReleasesSortBeforeTheirRelease() {
        assertTrue(v("1.3.0-rc.1").compareTo(v("1.3.0")) < 0);
        assertTrue(v("1.3.0-rc.1").compareTo(v("1.2.9")) > 0);
        assertTrue(v("1.3.0-rc.1").isPreRelease());
        assertFalse(v("1.3.0").isPreRelease());
        assertTrue(v("0.1.0-SNAPSHOT").isPreRelease());
        assertTrue(v("0.1.0-SNAPSHOT").compareTo(v("0.1.0")) < 0);
    }

    @Test
    void qualifiersCompareBySemverRules() {
        List<ModuleVersion> sorted = List.of(v("1.0.0-alpha"), v("1.0.0-alpha.1"), v("1.0.0-alpha.beta"), v("1.0.0-beta"),
                v("1.0.0-beta.2"), v("1.0.0-beta.11"), v("1.0.0-rc.1"), v("1.0.0"));
        List<ModuleVersion> shuffled = new ArrayList<>(sorted);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
    }

    @Test
    void compareToIsConsistentWithEquals() {
        List<ModuleVersion> all = List.of(v("1"), v("1.0"), v("1.0.0"), v("1.0.1"), v("1.0.0-rc.1"), v("1.0.0-rc.01"),
                v("1.0.0-rc.2"), v("0.9"));
        for (ModuleVersion a : all) {
            for (ModuleVersion b : all) {
                assertEquals(a.equals(b), a.compareTo(b) == 0, a + " vs " + b);
                assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)), a + " vs " + b);
                if (a.equals(b)) {
                    assertEquals(a.hashCode(), b.hashCode(), a + " vs " + b);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.", "1.2.3.4", "v1.2", "01.2", "1.2-", "1.2.3-rc..1", "1.2.3+build", "a.b.c", " 1.2"})
    void refusesMalformedVersions(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModuleVersion.parse(text));
        assertTrue(e.getMessage().startsWith("'" + text + "' is not a version"), e.getMessage());
    }
}
