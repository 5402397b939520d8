package com.cloudextender.devcloud.modules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Module packages built on the fly: a descriptor, a small jar entry and an empty DIGESTS (the cloud checks no signature). */
public final class TestPackages {
    private TestPackages() {
    }

    /** The bytes of a package for {@code id} {@code version}. */
    public static byte[] bytes(String id, String version) throws IOException {
        return zip("id=" + id + "\nversion=" + version + "\ncore.minVersion=0.1.0\nmain.class=test.Main\nactions=sync,status\n");
    }

    /** A zip whose {@code module.properties} is {@code descriptor}, or that has none when it is null. */
    public static byte[] zip(String descriptor) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            if (descriptor != null) {
                zip.putNextEntry(entry(ModuleDescriptor.FILE));
                zip.write(descriptor.getBytes(StandardCharsets.UTF_8));
            }
            zip.putNextEntry(entry("lib/module.jar"));
            zip.write(("jar of " + descriptor).getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(entry("DIGESTS"));
        }
        return out.toByteArray();
    }

    /** An entry with a fixed time, so that the same package built twice has the same bytes. */
    private static ZipEntry entry(String name) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(FIXED_TIME);
        return entry;
    }

    private static final long FIXED_TIME = 1_700_000_000_000L;

    /** Writes a package for {@code id} {@code version} into {@code dir} and returns its path. */
    public static Path write(Path dir, String id, String version) throws IOException {
        return Files.write(Files.createDirectories(dir).resolve(id + "-" + version + ".cxm"), bytes(id, version));
    }
}
