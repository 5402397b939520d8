package com.cloudextender.devcloud.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets (the console token, the TLS key store): created readable by the owner only
 * where the file system has POSIX permissions.
 */
public final class SecretFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFiles() {
    }

    /** Writes {@code bytes} to a new file at {@code file} with owner-only permissions, replacing any old file. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, ownerOnly());
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system (Windows): the directory's ACL applies
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + tmp + ": it appeared concurrently", e);
        }
        Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the token in {@code file}, or creates the file with a new random token when it does not
     * exist yet.
     */
    public static String loadOrCreateToken(Path file) throws IOException {
        if (Files.exists(file)) {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!token.isEmpty()) {
                return token;
            }
        }
        String token = RandomTokens.urlSafe(32);
        write(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
        return token;
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }
}
