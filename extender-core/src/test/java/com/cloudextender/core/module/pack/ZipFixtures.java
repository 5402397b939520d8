package com.cloudextender.core.module.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Reads and writes zips entry by entry, to build packages that were changed after signing. */
final class ZipFixtures {
    static final String DESCRIPTOR = """
            id=example
            version=1.2.0
            core.minVersion=0.1.0
            main.class=com.example.ExampleModule
            actions=echo,count
            """;

    private ZipFixtures() {
    }

    /** The entries of {@code zip}, in order. */
    static Map<String, byte[]> read(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** Writes {@code entries}, in order, with java.util.zip (which accepts any name). */
    static Path write(Path zip, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return zip;
    }

    /** {@code content} plus a DIGESTS over it and its signature by {@code publisher}. */
    static Map<String, byte[]> signed(Map<String, byte[]> content, TestPublisher publisher) throws IOException {
        TreeMap<String, String> sha = new TreeMap<>();
        content.forEach((name, bytes) -> sha.put(name, Digests.hex(PackageVerifier.sha256().digest(bytes))));
        byte[] digests = new Digests(sha).toBytes();
        Map<String, byte[]> all = new LinkedHashMap<>(content);
        all.put("DIGESTS", digests);
        all.put("DIGESTS.p7s", CmsSignatures.sign(digests, publisher.privateKey(), publisher.certificate()));
        return all;
    }

    /** A descriptor and one jar, as a map of entries. */
    static Map<String, byte[]> minimalContent() {
        Map<String, byte[]> content = new LinkedHashMap<>();
        content.put("module.properties", DESCRIPTOR.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        content.put("lib/example.jar", new byte[] {1, 2, 3, 4});
        return content;
    }

    /** Writes {@code size} zero bytes to {@code out}. */
    static void zeros(OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1024 * 1024];
        for (long left = size; left > 0; left -= buffer.length) {
            out.write(buffer, 0, (int) Math.min(left, buffer.length));
        }
    }
}
