package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtenderProcessClassPathTest {
    @TempDir
    Path dir;

    private static String join(Path... entries) {
        return String.join(File.pathSeparator, List.of(entries).stream().map(Path::toString).toList());
    }

    @Test
    void leavesOutTestJarsTestFoldersAndTestFrameworks() {
        Path classes = dir.resolve("integration/target/classes");
        Path testClasses = dir.resolve("integration/target/test-classes");
        Path core = dir.resolve("m2/extender-core-0.1.0.jar");
        Path tests = dir.resolve("m2/module-exchange-0.1.0-tests.jar");
        Path junit = dir.resolve("m2/junit-jupiter-api-5.11.3.jar");
        Path wiremock = dir.resolve("m2/wiremock-standalone-3.13.2.jar");

        String cp = ExtenderProcess.classPathFor(join(classes, testClasses, core, tests, junit, wiremock));

        assertEquals(join(classes, core), cp);
    }

    @Test
    void replacesATestRunnersClassPathJarByTheEntriesItListsThenFiltersThem() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path testClasses = Files.createDirectories(dir.resolve("test-classes"));
        Path core = dir.resolve("lib/extender-core-0.1.0.jar");
        Path tests = dir.resolve("lib/module-bes-0.1.0-tests.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classes.toUri().toString(),
                testClasses.toUri().toString(), core.toUri().toString(), tests.toUri().toString()));
        Path booter = dir.resolve("surefirebooter-20261207_1.jar");
        try (OutputStream out = Files.newOutputStream(booter); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }

        String cp = ExtenderProcess.classPathFor(booter.toString());

        assertEquals(join(classes, core), cp);
    }
}
