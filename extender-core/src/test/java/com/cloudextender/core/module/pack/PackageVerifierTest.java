package com.cloudextender.core.module.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageVerifierTest {
    private static TestPublisher publisher;
    private static PackageVerifier verifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void publisher() {
        publisher = TestPublisher.create("Test Publisher");
        verifier = new PackageVerifier(List.of(publisher.certificate()));
    }

    private Path target() {
        return dir.resolve("extracted/example");
    }

    private Path signedPackage() throws IOException {
        Path a = Files.write(dir.resolve("example-1.2.0.jar"), "module classes".getBytes(StandardCharsets.UTF_8));
        Path b = Files.write(dir.resolve("jackson-core-2.18.1.jar"), "library classes".getBytes(StandardCharsets.UTF_8));
        return publisher.sign(dir.resolve("example-1.2.0.cxm"), ZipFixtures.DESCRIPTOR, List.of(a, b));
    }

    private String refusal(Path pkg) {
        ModulePackageException e = assertThrows(ModulePackageException.class, () -> verifier.verifyAndExtract(pkg, target()));
        assertFalse(Files.exists(target()), "the target folder is deleted after a failure");
        return e.getMessage();
    }

    @Test
    void validPackageRoundTrips() throws Exception {
        Path pkg = signedPackage();

        VerifiedPackage p = verifier.verifyAndExtract(pkg, target());

        assertEquals("example", p.descriptor().id());
        assertEquals("1.2.0", p.descriptor().version().toString());
        assertEquals(List.of("echo", "count"), p.descriptor().actions());
        assertEquals(target(), p.directory());
        assertEquals(List.of(target().resolve("lib/example-1.2.0.jar"), target().resolve("lib/jackson-core-2.18.1.jar")), p.jars());
        assertEquals("module classes", Files.readString(p.jars().get(0)));
        assertEquals(Digests.hex(PackageVerifier.sha256().digest(Files.readAllBytes(pkg))), p.sha256());
        assertEquals("CN=Test Publisher", p.signer());
    }

    @Test
    void refusesAnExistingTargetFolder() throws Exception {
        Path pkg = signedPackage();
        Files.createDirectories(target());
        ModulePackageException e = assertThrows(ModulePackageException.class, () -> verifier.verifyAndExtract(pkg, target()));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertTrue(Files.isDirectory(target()), "a folder it did not create is left alone");
    }

    @Test
    void refusesAnUnsignedPackage() throws Exception {
        Map<String, byte[]> entries = ZipFixtures.read(signedPackage());
        entries.remove("DIGESTS.p7s");
        String message = refusal(ZipFixtures.write(dir.resolve("unsigned.cxm"), entries));
        assertEquals("package unsigned.cxm: unsigned: it has no DIGESTS.p7s", message);
    }

    @Test
    void refusesAJarChangedAfterSigning() throws Exception {
        Map<String, byte[]> entries = ZipFixtures.read(signedPackage());
        entries.get("lib/example-1.2.0.jar")[0] ^= 1;
        String message = refusal(ZipFixtures.write(dir.resolve("tampered.cxm"), entries));
        assertEquals("package tampered.cxm: entry \"lib/example-1.2.0.jar\" does not match its digest in DIGESTS "
                + "(changed after signing)", message);
    }

    @Test
    void refusesDigestsChangedAfterSigning() throws Exception {
        Map<String, byte[]> entries = ZipFixtures.read(signedPackage());
        byte[] digests = entries.get("DIGESTS");
        digests[10] = (byte) (digests[10] == 'a' ? 'b' : 'a');
        String message = refusal(ZipFixtures.write(dir.resolve("tampered.cxm"), entries));
        assertTrue(message.startsWith("package tampered.cxm: signature does not verify"), message);
    }

    @Test
    void refusesAnEntryAddedAfterSigning() throws Exception {
        Map<String, byte[]> entries = ZipFixtures.read(signedPackage());
        entries.put("lib/extra.jar", new byte[] {42});
        String message = refusal(ZipFixtures.write(dir.resolve("extra.cxm"), entries));
        assertEquals("package extra.cxm: entry \"lib/extra.jar\" is not listed in DIGESTS (added after signing?)", message);
    }

    @Test
    void refusesAPackageWithAnEntryMissing() throws Exception {
        Map<String, byte[]> entries = ZipFixtures.read(signedPackage());
        entries.remove("lib/jackson-core-2.18.1.jar");
        String message = refusal(ZipFixtures.write(dir.resolve("missing.cxm"), entries));
        assertEquals("package missing.cxm: entry \"lib/jackson-core-2.18.1.jar\" is listed in DIGESTS but missing "
                + "from the package", message);
    }

    @Test
    void refusesAnUnknownPublisher() throws Exception {
        TestPublisher mallory = TestPublisher.create("Mallory");
        Path pkg = ZipFixtures.write(dir.resolve("other.cxm"), ZipFixtures.signed(ZipFixtures.minimalContent(), mallory));
        String message = refusal(pkg);
        assertTrue(message.startsWith("package other.cxm: signed by an unknown publisher CN=Mallory"), message);
    }

    @Test
    void refusesASignerNamedLikeThePublisherButWithAnotherKey() throws Exception {
        TestPublisher impostorCa = TestPublisher.create("Test Publisher");
        TestPublisher signer = impostorCa.issue("Signer");
        Path pkg = ZipFixtures.write(dir.resolve("impostor.cxm"), ZipFixtures.signed(ZipFixtures.minimalContent(), signer));
        assertTrue(refusal(pkg).contains("signed by an unknown publisher CN=Signer"));
    }

    @Test
    void refusesAnExpiredPublisherCertificate() throws Exception {
        TestPublisher expired = TestPublisher.createExpired("Old Publisher");
        PackageVerifier trustsExpired = new PackageVerifier(List.of(expired.certificate()));
        Path pkg = ZipFixtures.write(dir.resolve("old.cxm"), ZipFixtures.signed(ZipFixtures.minimalContent(), expired));
        ModulePackageException e = assertThrows(ModulePackageException.class, () -> trustsExpired.verifyAndExtract(pkg, target()));
        assertTrue(e.getMessage().startsWith("package old.cxm: signer certificate CN=Old Publisher expired on "), e.getMessage());
    }

    @Test
    void acceptsASignerIssuedByAConfiguredPublisherCa() throws Exception {
        TestPublisher ca = TestPublisher.create("Publisher CA");
        TestPublisher signer = ca.issue("Release Signer");
        Path pkg = ZipFixtures.write(dir.resolve("chain.cxm"), ZipFixtures.signed(ZipFixtures.minimalContent(), signer));

        VerifiedPackage p = new PackageVerifier(List.of(ca.certificate())).verifyAndExtract(pkg, target());

        assertEquals("CN=Release Signer", p.signer());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(target().resolve("lib/example.jar")));
    }

    private String refusalOfEntry(String name) throws Exception {
        Map<String, byte[]> content = ZipFixtures.minimalContent();
        content.put(name, new byte[] {9});
        return refusal(ZipFixtures.write(dir.resolve("hostile.cxm"), ZipFixtures.signed(content, publisher)));
    }

    @Test
    void refusesAnEntryThatClimbsOut() throws Exception {
        assertEquals("package hostile.cxm: entry \"lib/../../evil.jar\" escapes the module folder",
                refusalOfEntry("lib/../../evil.jar"));
        assertFalse(Files.exists(dir.resolve("evil.jar")));
    }

    @Test
    void refusesAbsoluteEntries() throws Exception {
        assertEquals("package hostile.cxm: entry \"/tmp/evil.jar\" is an absolute path", refusalOfEntry("/tmp/evil.jar"));
        assertEquals("package hostile.cxm: entry \"C:\\evil.jar\" is an absolute path", refusalOfEntry("C:\\evil.jar"));
        assertEquals("package hostile.cxm: entry \"\\\\server\\evil.jar\" is an absolute path",
                refusalOfEntry("\\\\server\\evil.jar"));
    }

    @Test
    void refusesBackslashesEmptySegmentsAndSubFolders() throws Exception {
        assertEquals("package hostile.cxm: entry \"lib\\evil.jar\" contains a backslash; zip paths use /",
                refusalOfEntry("lib\\evil.jar"));
        assertEquals("package hostile.cxm: entry \"lib//evil.jar\" has an empty path segment", refusalOfEntry("lib//evil.jar"));
        assertTrue(refusalOfEntry("lib/sub/evil.jar").startsWith("package hostile.cxm: entry \"lib/sub/evil.jar\" is not allowed"));
        assertTrue(refusalOfEntry("evil.class").startsWith("package hostile.cxm: entry \"evil.class\" is not allowed"));
    }

    @Test
    void refusesASymbolicLink() throws Exception {
        Path pkg = dir.resolve("link.cxm");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(pkg)) {
            for (var e : ZipFixtures.signed(ZipFixtures.minimalContent(), publisher).entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
            ZipArchiveEntry link = new ZipArchiveEntry("lib/link.jar");
            link.setUnixMode(0120777); // a symbolic link, target in the content
            out.putArchiveEntry(link);
            out.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        assertEquals("package link.cxm: entry \"lib/link.jar\" is a symbolic link", refusal(pkg));
    }

    @Test
    void refusesADuplicateEntry() throws Exception {
        Path pkg = dir.resolve("twice.cxm");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(pkg)) {
            for (var e : ZipFixtures.signed(ZipFixtures.minimalContent(), publisher).entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
            out.putArchiveEntry(new ZipArchiveEntry("lib/example.jar"));
            out.write(new byte[] {6, 6, 6});
            out.closeArchiveEntry();
        }
        assertEquals("package twice.cxm: entry \"lib/example.jar\" appears twice", refusal(pkg));
    }

    @Test
    void refusesTooManyEntries() throws Exception {
        Map<String, byte[]> content = ZipFixtures.minimalContent();
        for (int i = 0; i < 10; i++) {
            content.put("lib/dep" + i + ".jar", new byte[] {(byte) i});
        }
        Path pkg = ZipFixtures.write(dir.resolve("many.cxm"), ZipFixtures.signed(content, publisher));
        PackageVerifier small = new PackageVerifier(List.of(publisher.certificate()), 1 << 20, 10);
        ModulePackageException e = assertThrows(ModulePackageException.class, () -> small.verifyAndExtract(pkg, target()));
        assertEquals("package many.cxm: it has 14 entries; at most 10 are allowed", e.getMessage());
    }

    /** Writes a package whose lib/bomb.jar inflates to 300 MiB of zeros (about 300 KiB compressed). */
    private Path zipBomb(String name) throws IOException {
        Map<String, byte[]> content = ZipFixtures.minimalContent();
        content.put("lib/bomb.jar", new byte[0]); // DIGESTS lists it; its digest never gets compared
        Map<String, byte[]> entries = ZipFixtures.signed(content, publisher);
        Path pkg = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(pkg))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getKey().equals("lib/bomb.jar")) {
                    ZipFixtures.zeros(out, 300L * 1024 * 1024);
                } else {
                    out.write(e.getValue());
                }
                out.closeEntry();
            }
        }
        return pkg;
    }

    @Test
    void refusesAZipBombByItsDeclaredSize() throws Exception {
        Path pkg = zipBomb("bomb.cxm");
        PackageVerifier limited = new PackageVerifier(List.of(publisher.certificate()), 10L * 1024 * 1024, 500);
        ModulePackageException e = assertThrows(ModulePackageException.class, () -> limited.verifyAndExtract(pkg, target()));
        assertTrue(e.getMessage().startsWith("package bomb.cxm: it would expand to "), e.getMessage());
        assertFalse(Files.exists(target()));
    }

    @Test
    void stopsInflatingAZipBombThatLiesAboutItsSize() throws Exception {
        Path pkg = zipBomb("liar.cxm");
        declareSize(pkg, "lib/bomb.jar", 1000);
        PackageVerifier limited = new PackageVerifier(List.of(publisher.certificate()), 10L * 1024 * 1024, 500);

        ModulePackageException e = assertThrows(ModulePackageException.class, () -> limited.verifyAndExtract(pkg, target()));

        assertEquals("package liar.cxm: it expands to more than 10485760 bytes, the limit; refused while extracting",
                e.getMessage());
        assertFalse(Files.exists(target()));
    }

    /** Overwrites the uncompressed size that the central directory claims for {@code name}. */
    private static void declareSize(Path zip, String name, int size) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50 && b.getShort(i + 28) == wanted.length
                    && new String(bytes, i + 46, wanted.length, StandardCharsets.UTF_8).equals(name)) {
                b.putInt(i + 24, size);
                Files.write(zip, bytes);
                return;
            }
        }
        throw new IllegalStateException(name + " not found in the central directory");
    }

    @Test
    void refusesAPackageWhoseDescriptorIsInvalidAndNamesTheModule() throws Exception {
        Map<String, byte[]> content = new LinkedHashMap<>(ZipFixtures.minimalContent());
        content.put("module.properties", "id=directory\nversion=1.2.0\n".getBytes(StandardCharsets.UTF_8));
        Path pkg = ZipFixtures.write(dir.resolve("directory-1.2.0.cxm"), ZipFixtures.signed(content, publisher));
        assertEquals("package directory-1.2.0.cxm, module [directory] 1.2.0: property [core.minVersion] is missing",
                refusal(pkg));
    }

    @Test
    void refusesAFileThatIsNotAZip() throws Exception {
        Path pkg = Files.writeString(dir.resolve("text.cxm"), "hello");
        assertTrue(refusal(pkg).startsWith("package text.cxm: not a zip file"));
    }
}
