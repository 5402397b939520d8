package com.cloudextender.core.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The salt in {@code keys/machine.salt}, created owner-only ({@link PrivateFiles}): the Linux and macOS store,
 * where the file's mode and the data folder's owner keep other users out.
 */
final class SaltFile implements SaltStore {
    static final String FILE = "machine.salt";

    @Override
    public byte[] loadOrCreate(Path keysDir) {
        Path file = keysDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return check(file, Files.readAllBytes(file));
            }
            byte[] salt = newSalt();
            PrivateFiles.write(file, salt);
            return salt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key salt " + file, e);
        }
    }

    @Override
    public String description() {
        return "salt file keys/" + FILE + " (owner only)";
    }

    static byte[] newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return salt;
    }

    static byte[] check(Path file, byte[] salt) {
        if (salt.length != SALT_BYTES) {
            throw new IllegalStateException(file + " is damaged (" + salt.length + " bytes, expected " + SALT_BYTES
                    + "); remove the data folder's keys/ and register the extender again");
        }
        return salt;
    }
}
