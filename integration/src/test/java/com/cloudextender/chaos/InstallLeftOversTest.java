package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install rounds' check of the modules folder can fail: each kind of left-over is reported. */
class InstallLeftOversTest {
    @TempDir
    Path modules;

    @Test
    void aCleanFolderPassesAndLeftOversAreNamed() throws Exception {
        Files.createDirectories(modules.resolve("incoming"));
        Files.createDirectories(modules.resolve("packages"));
        Files.writeString(modules.resolve("packages/example-9.2.0.cxm"), "x");
        assertNull(ChaosRun.leftOvers(modules, Duration.ZERO));

        Files.writeString(modules.resolve("incoming/download-1.part"), "x");
        assertEquals("files left in modules/incoming: [download-1.part]", ChaosRun.leftOvers(modules, Duration.ZERO));
        Files.delete(modules.resolve("incoming/download-1.part"));

        Files.writeString(modules.resolve("packages/example-9.1.0.cxm"), "x");
        assertEquals("modules/packages holds [example-9.1.0.cxm, example-9.2.0.cxm], not only the active package",
                ChaosRun.leftOvers(modules, Duration.ZERO));
    }
}
