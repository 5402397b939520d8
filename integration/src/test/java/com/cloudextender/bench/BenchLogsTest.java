package com.cloudextender.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchLogsTest {
    @TempDir
    Path work;

    @Test
    void aFinishedBenchmarkKeepsOnlyItsLogsFolder() throws Exception {
        Files.createDirectories(work.resolve("logs"));
        Files.writeString(work.resolve("logs/extender.log"), "INFO started\n");
        Files.createDirectories(work.resolve("slapd/db"));
        Files.write(work.resolve("slapd/db/data.mdb"), new byte[4096]);
        Files.createDirectories(work.resolve("nginx/www"));
        Files.write(work.resolve("nginx/www/large.bin"), new byte[4096]);
        Files.writeString(work.resolve("logback.xml"), "<configuration/>");

        BenchLogs.keepOnlyLogs(work);

        try (var left = Files.walk(work)) {
            assertEquals(List.of(work, work.resolve("logs"), work.resolve("logs/extender.log")), left.sorted().toList());
        }
        assertTrue(Files.readString(work.resolve("logs/extender.log")).contains("started"));
    }
}
