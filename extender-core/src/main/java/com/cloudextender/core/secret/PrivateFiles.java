package com.cloudextender.core.secret;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Writes files that hold secrets (sealed or not) so that they are never readable by others, not even for
 * a moment: the content goes into a temporary file that is created owner-only ({@code rw-------}), then
 * replaces the target by an atomic move. A rewrite keeps the mode the target had, so an administrator's
 * tighter or looser choice survives. On a file system without POSIX modes (Windows) the folder's ACL, set
 * by the installer, applies.
 */
public final class PrivateFiles {
    /** Owner read and write only. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}; a new file is created {@code rw-------}, an existing one
     * keeps its mode.
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path abs = target.toAbsolutePath();
        Set<PosixFilePermission> mode = modeOf(abs).orElse(OWNER_ONLY);
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = createOwnerOnly(dir, abs.getFileName().toString());
        try {
            if (!mode.equals(OWNER_ONLY)) {
                // Set before any content is written: a wider mode kept from the original never exposes more.
                Files.setPosixFilePermissions(tmp, mode);
            }
            Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** As {@link #write(Path, byte[])}, for UTF-8 lines each ended by the platform's line separator. */
    public static void writeLines(Path target, java.util.List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append(System.lineSeparator());
        }
        write(target, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Gives {@code replacement} the mode of {@code original} (when both have one), before it replaces it. */
    public static void keepMode(Path original, Path replacement) throws IOException {
        Optional<Set<PosixFilePermission>> mode = modeOf(original);
        if (mode.isPresent()) {
            Files.setPosixFilePermissions(replacement, mode.get());
        }
    }

    /** The POSIX mode of {@code file}, or empty when it does not exist or the file system has none. */
    public static Optional<Set<PosixFilePermission>> modeOf(Path file) {
        if (!Files.exists(file) || Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.getPosixFilePermissions(file));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Path createOwnerOnly(Path dir, String name) throws IOException {
        try {
            return Files.createTempFile(dir, "." + name + ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, "." + name + ".", ".tmp");
        }
    }
}
