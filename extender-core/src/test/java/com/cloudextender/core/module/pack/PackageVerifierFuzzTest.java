package com.cloudextender.core.module.pack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Module packages as an attacker could craft them. The verifier's contract: a {@link VerifiedPackage} or a
 * {@link ModulePackageException}, nothing else; nothing is written outside the target folder; after a
 * refusal the target folder is gone. Three depths: any bytes (zip parsing), any CMS signature over
 * DIGESTS, and packages correctly signed by a trusted publisher whose entries, DIGESTS and descriptor are
 * chosen freely (what a stolen signing key, or a bug in the publisher's tooling, would produce).
 */
class PackageVerifierFuzzTest {
    private static TestPublisher publisher;
    private static PackageVerifier verifier;
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        publisher = TestPublisher.create("Fuzz Publisher");
        verifier = new PackageVerifier(List.of(publisher.certificate()), 1024 * 1024, 50);
        dir = Files.createTempDirectory("package-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        delete(dir);
    }

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void anyBytes(byte[] bytes) throws Exception {
        Path pkg = Files.write(dir.resolve("fuzz.cxm"), bytes);
        verifyHoldsContract(pkg);
    }

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void anySignature(FuzzedDataProvider data) throws Exception {
        byte[] digests = data.consumeBytes(200);
        byte[] signature = data.consumeRemainingAsBytes();
        try {
            assertNotNull(CmsSignatures.verify(digests, signature));
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
        }
    }

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void signedButCrafted(FuzzedDataProvider data) throws Exception {
        Map<String, byte[]> content = new LinkedHashMap<>();
        content.put("module.properties", data.consumeBoolean() ? ZipFixtures.DESCRIPTOR.getBytes()
                : data.consumeBytes(300));
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            content.put(data.consumeBoolean() ? "lib/x" + i + ".jar" : data.consumeString(40), data.consumeBytes(64));
        }
        Map<String, byte[]> signed = ZipFixtures.signed(content, publisher);
        if (data.consumeBoolean()) {
            byte[] digests = data.consumeBytes(400);
            signed.put(PackageLayout.DIGESTS, digests);
            signed.put(PackageLayout.SIGNATURE, CmsSignatures.sign(digests, publisher.privateKey(),
                    publisher.certificate()));
        }
        Path pkg = dir.resolve("signed.cxm");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(pkg))) {
            for (var e : signed.entrySet()) {
                try {
                    out.putNextEntry(new ZipEntry(e.getKey()));
                } catch (IllegalArgumentException | java.util.zip.ZipException tooLongOrDuplicate) {
                    continue;
                }
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        verifyHoldsContract(pkg);
    }

    private static void verifyHoldsContract(Path pkg) throws IOException {
        Path root = dir.resolve("modules");
        Path target = root.resolve("example");
        delete(root);
        Files.createDirectories(root);
        try {
            VerifiedPackage p = verifier.verifyAndExtract(pkg, target);
            assertNotNull(p.descriptor());
            try (Stream<Path> all = Files.walk(root)) {
                all.forEach(f -> assertTrue(f.equals(root) || f.normalize().startsWith(target),
                        "written outside the target folder: " + f));
            }
        } catch (ModulePackageException e) {
            assertNotNull(e.getMessage());
            assertFalse(Files.exists(target), "the target folder is deleted after a refusal");
            try (Stream<Path> all = Files.list(root)) {
                assertTrue(all.findAny().isEmpty(), "nothing is left beside the target folder");
            }
        }
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
