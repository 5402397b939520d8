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
                zip.putNextEntry(new ZipEntry(ModuleDescriptor.FILE));
                zip.write(descriptor.getBytes(StandardCharsets.UTF_8));
            }
            zip.putNextEntry(new ZipEntry("lib/module.jar"));
            zip.write(("jar of " + descriptor).getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("DIGESTS"));
        }
        return out.toByteArray();
    }

    /** Writes a package for {@code id} {@code version} into {@code dir} and returns its path. */
    public static Path write(Path dir, String id, String version) throws IOException {
        return Files.write(Files.createDirectories(dir).resolve(id + "-" + version + ".cxm"), bytes(id, version));
    }
}
