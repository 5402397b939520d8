package com.cloudextender.core.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewFileIsOwnerOnlyAndNoOtherFileIsLeftBehind() throws IOException {
        Path f = dir.resolve("secret.bin");
        PrivateFiles.write(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals("rw-------", mode(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aRewriteKeepsTheModeTheFileHad() throws IOException {
        Path f = dir.resolve("extender.properties");
        Files.writeString(f, "a=1\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        PrivateFiles.writeLines(f, List.of("a=2"));
        assertEquals("a=2" + System.lineSeparator(), Files.readString(f));
        assertEquals("rw-r-----", mode(f));
    }

    @Test
    void theSecretIsNeverInAFileOthersCouldRead() throws Exception {
        // Watch the folder while writing: every file that appears must be owner-only from its first moment.
        Path f = dir.resolve("machine.salt");
        AtomicBoolean widened = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        try {
                            if (!mode(p).equals("rw-------")) {
                                widened.set(true);
                            }
                        } catch (IOException gone) {
                            // moved away between listing and reading its mode
                        }
                    }
                } catch (IOException e) {
                    // retry
                }
            }
        });
        watcher.start();
        for (int i = 0; i < 200; i++) {
            Files.deleteIfExists(f);
            PrivateFiles.write(f, new byte[32]);
        }
        done.set(true);
        watcher.join();
        assertTrue(!widened.get(), "a file was readable by others while being written");
    }
}
