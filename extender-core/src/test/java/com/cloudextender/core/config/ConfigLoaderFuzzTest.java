package com.cloudextender.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any configuration file text: loading gives a configuration or a {@link ConfigException}, nothing else;
 * sealing the clear secrets on first read leaves no secret in clear and does not change what the file
 * means (a second load gives the same configuration).
 */
class ConfigLoaderFuzzTest {
    private static Path dir;
    private static SecretBox box;

    @BeforeAll
    static void box() throws IOException {
        dir = Files.createTempDirectory("config-fuzz");
        box = new SecretBox(MachineKey.open(dir.resolve("data"), "fuzz-machine"));
    }

    @AfterAll
    static void clean() throws IOException {
        FuzzFiles.deleteTree(dir);
    }

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void loadsOrNamesTheProblem(byte[] input) throws Exception {
        Path file = Files.createDirectories(dir.resolve("conf")).resolve("extender.properties");
        Files.write(file, input);
        ExtenderConfig first;
        try {
            first = ConfigLoader.load(file, box);
        } catch (ConfigException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal says what is wrong");
            assertNoClearSecret(file);
            return;
        }
        assertNoClearSecret(file);
        assertEquals(first, ConfigLoader.load(file, box), "sealing the secrets changed the configuration");
    }

    /** Every secret key's value, as the file is read, is empty or sealed. */
    private static void assertNoClearSecret(Path file) throws IOException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | java.nio.charset.MalformedInputException e) {
            return; // not readable as properties: nothing in it is used
        }
        for (String key : ConfigLoader.SECRET_KEYS) {
            String v = p.getProperty(key, "").trim();
            assertTrue(v.isEmpty() || SecretBox.isSealed(v), key + " left in clear in the file");
        }
    }
}
