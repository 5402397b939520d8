package com.cloudextender.core.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;

/** A secret box under a throw-away machine key, for tests that store results. */
public final class TestSecrets {
    private static final SecretBox BOX = create();

    private TestSecrets() {
    }

    public static SecretBox box() {
        return BOX;
    }

    private static SecretBox create() {
        try {
            return new SecretBox(MachineKey.open(Files.createTempDirectory("test-keys"), "test-machine"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
