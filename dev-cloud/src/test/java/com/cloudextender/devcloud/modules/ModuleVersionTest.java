package com.cloudextender.devcloud.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleVersionTest {

    @Test
    void versionsSortByNumbersThenReleasesAfterTheirPreReleases() {
        List<String> ordered = List.of("0.1.0-SNAPSHOT", "0.1.0", "1", "1.2", "1.2.3", "1.3.0-alpha", "1.3.0-rc.1",
                "1.3.0-rc.2", "1.3.0-rc.10", "1.3.0-rc-x", "1.3.0", "1.10");
        List<ModuleVersion> shuffled = new ArrayList<>(ordered.stream().map(ModuleVersion::parse).toList());
        Collections.reverse(shuffled);
        Collections.shuffle(shuffled, new Random(7));

        Collections.sort(shuffled);

        assertEquals(ordered, shuffled.stream().map(ModuleVersion::text).toList());
    }

    @Test
    void missingNumericPartsCountAsZeroAndAQualifierMakesAPreRelease() {
        assertEquals(0, ModuleVersion.parse("1.2").compareTo(ModuleVersion.parse("1.2.0")));
        assertTrue(ModuleVersion.parse("1.3.0-rc.1").isPreRelease());
        assertFalse(ModuleVersion.parse("1.3.0").isPreRelease());
        assertTrue(ModuleVersion.parse("2-beta").compareTo(ModuleVersion.parse("1.9.9")) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1", "1.", "1..2", "1.2-", "1.2-rc..1", "../1", "1/2", "1.2 ", "01.2", "1.2.3.4"})
    void malformedVersionsAreRefusedWithTheExpectedForm(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModuleVersion.parse(text));
        assertTrue(e.getMessage().contains("1.3.0-rc.1"), e.getMessage());
    }
}
