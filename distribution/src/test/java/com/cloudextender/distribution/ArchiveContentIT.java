package com.cloudextender.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * What the customer archives must not contain: any publisher certificate (issue 10, item 1). The
 * administrator or the cloud provisions the real publisher; the development one is never shipped.
 */
class ArchiveContentIT {
    private static Path archive(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("cloud-extender-")
                    && p.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/cloud-extender-*" + suffix + "; run mvn package"));
        }
    }

    private static List<String> zipNames() throws IOException {
        try (ZipFile zip = new ZipFile(archive(".zip").toFile())) {
            return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    private static List<String> tarNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive(".tar.gz")));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null;) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static void assertNoCertificate(List<String> names, String which) {
        List<String> certificates = names.stream()
                .filter(n -> n.matches("(?i).*\\.(pem|crt|cer|der|p12|pfx|jks|p7b)")).toList();
        assertEquals(List.of(), certificates, which + " must ship no certificate or key store");
        assertTrue(names.stream().anyMatch(n -> n.endsWith("/conf/publishers/README.txt")),
                which + " explains where the publisher certificate goes");
        assertTrue(names.stream().noneMatch(n -> n.contains("dev-publisher") || n.contains("dev-signing")), which);
    }

    @Test
    void theZipShipsNoPublisherCertificate() throws IOException {
        assertNoCertificate(zipNames(), "the zip");
    }

    @Test
    void theTarGzShipsNoPublisherCertificate() throws IOException {
        assertNoCertificate(tarNames(), "the tar.gz");
    }

    @Test
    void theShippedConfigurationRefusesTheDevelopmentPublisher() throws IOException {
        try (ZipFile zip = new ZipFile(archive(".zip").toFile())) {
            ZipEntry conf = Collections.list(zip.entries()).stream()
                    .filter(e -> e.getName().endsWith("/conf/extender.properties")).findFirst().orElseThrow();
            String text = new String(zip.getInputStream(conf).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.lines().noneMatch(l -> l.strip().startsWith("modules.allowDevelopmentPublisher")),
                    "the development publisher setting is only a comment in the shipped configuration");
        }
    }
}
