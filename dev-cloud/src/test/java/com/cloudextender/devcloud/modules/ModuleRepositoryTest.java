package com.cloudextender.devcloud.modules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleRepositoryTest {
    @TempDir
    Path dir;

    private static ModuleEntry publish(ModuleRepository repository, byte[] bytes, ReleaseChannel channel)
            throws Exception {
        return repository.publish(new ByteArrayInputStream(bytes), channel);
    }

    @Test
    void publishingStoresThePackageUnderItsIdAndVersionWithItsSha256() throws Exception {
        ModuleRepository repository = ModuleRepository.open(dir);
        byte[] bytes = TestPackages.bytes("directory", "1.2.0");

        ModuleEntry entry = publish(repository, bytes, ReleaseChannel.STABLE);

        assertEquals("directory-1.2.0.cxm", entry.file());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), entry.sha256());
        assertEquals(bytes.length, entry.size());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve(entry.file())));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
    }

    @Test
    void theIndexSurvivesReopening() throws Exception {
        ModuleRepository first = ModuleRepository.open(dir);
        ModuleEntry a = publish(first, TestPackages.bytes("directory", "1.0.0"), ReleaseChannel.STABLE);
        ModuleEntry b = publish(first, TestPackages.bytes("directory", "1.1.0-rc.1"), ReleaseChannel.PRE_RELEASE);

        ModuleRepository reopened = ModuleRepository.open(dir);

        assertEquals(first.entries(), reopened.entries());
        assertEquals(a, reopened.byFile("directory-1.0.0.cxm").orElseThrow());
        assertEquals(ReleaseChannel.PRE_RELEASE, reopened.byFile(b.file()).orElseThrow().channel());
    }

    @Test
    void anIndexEntryWhoseFileIsGoneIsDropped() throws Exception {
        ModuleEntry entry = publish(ModuleRepository.open(dir), TestPackages.bytes("xm", "1"), ReleaseChannel.STABLE);
        Files.delete(dir.resolve(entry.file()));

        assertTrue(ModuleRepository.open(dir).entries().isEmpty());
        assertTrue(ModuleRepository.open(dir).entries().isEmpty());
    }

    @Test
    void theNewestVersionDependsOnTheChannelTheExtenderAccepts() throws Exception {
        ModuleRepository repository = ModuleRepository.open(dir);
        publish(repository, TestPackages.bytes("mod", "1.10.0"), ReleaseChannel.STABLE);
        publish(repository, TestPackages.bytes("mod", "1.9.0"), ReleaseChannel.STABLE);
        publish(repository, TestPackages.bytes("mod", "2.0.0-rc.1"), ReleaseChannel.PRE_RELEASE);
        publish(repository, TestPackages.bytes("other", "9"), ReleaseChannel.STABLE);

        assertEquals("1.10.0", repository.newest("mod", ReleaseChannel.STABLE).orElseThrow().version().toString());
        assertEquals("2.0.0-rc.1", repository.newest("mod", ReleaseChannel.PRE_RELEASE).orElseThrow().version().toString());
        assertTrue(repository.newest("absent", ReleaseChannel.PRE_RELEASE).isEmpty());
    }

    @Test
    void aStableReleaseNewerThanThePreReleaseWinsOnBothChannels() throws Exception {
        ModuleRepository repository = ModuleRepository.open(dir);
        publish(repository, TestPackages.bytes("mod", "2.0.0-rc.1"), ReleaseChannel.PRE_RELEASE);
        publish(repository, TestPackages.bytes("mod", "2.0.0"), ReleaseChannel.STABLE);

        assertEquals("2.0.0", repository.newest("mod", ReleaseChannel.PRE_RELEASE).orElseThrow().version().toString());
    }

    @Test
    void aDuplicateIdAndVersionIsRefusedAsAConflictAndTheFirstPackageStays() throws Exception {
        ModuleRepository repository = ModuleRepository.open(dir);
        ModuleEntry first = publish(repository, TestPackages.bytes("mod", "1.0.0"), ReleaseChannel.STABLE);
        byte[] other = TestPackages.zip("id=mod\nversion=1.0.0\ncore.minVersion=0.1\nmain.class=m.Main\nactions=other\n");

        PackageRefusedException e = assertThrows(PackageRefusedException.class,
                () -> publish(repository, other, ReleaseChannel.PRE_RELEASE));

        assertTrue(e.conflict());
        assertTrue(e.getMessage().contains("module 'mod' version 1.0.0 is already published"), e.getMessage());
        assertEquals(first.sha256(), repository.byFile("mod-1.0.0.cxm").orElseThrow().sha256());
        assertEquals(1, repository.entries().size());
    }

    @Test
    void bytesThatAreNotAZipAreRefused() throws Exception {
        ModuleRepository repository = ModuleRepository.open(dir);

        PackageRefusedException e = assertThrows(PackageRefusedException.class, () -> publish(repository,
                "not a zip".getBytes(StandardCharsets.UTF_8), ReleaseChannel.STABLE));

        assertFalse(e.conflict());
        assertTrue(e.getMessage().startsWith("the package is not a zip file"), e.getMessage());
        assertTrue(repository.entries().isEmpty());
    }

    @Test
    void aPackageWithoutDescriptorIsRefused() throws Exception {
        PackageRefusedException e = assertThrows(PackageRefusedException.class,
                () -> publish(ModuleRepository.open(dir), TestPackages.zip(null), ReleaseChannel.STABLE));

        assertTrue(e.getMessage().contains("no module.properties"), e.getMessage());
    }

    @Test
    void aMissingOrMalformedPropertyIsNamed() throws Exception {
        ModuleRepository repository = ModuleRepository.open(dir);

        PackageRefusedException noMin = assertThrows(PackageRefusedException.class, () -> publish(repository,
                TestPackages.zip("id=mod\nversion=1\nactions=a\nmain.class=m.Main\n"), ReleaseChannel.STABLE));
        PackageRefusedException badVersion = assertThrows(PackageRefusedException.class, () -> publish(repository,
                TestPackages.zip("id=mod\nversion=one\ncore.minVersion=0.1\nactions=a\nmain.class=m.Main\n"), ReleaseChannel.STABLE));
        PackageRefusedException badId = assertThrows(PackageRefusedException.class, () -> publish(repository,
                TestPackages.zip("id=../m\nversion=1\ncore.minVersion=0.1\nactions=a\nmain.class=m.Main\n"), ReleaseChannel.STABLE));

        assertTrue(noMin.getMessage().endsWith("property [core.minVersion] is missing"), noMin.getMessage());
        assertTrue(badVersion.getMessage().contains("[version]") && badVersion.getMessage().contains("one"),
                badVersion.getMessage());
        assertTrue(badId.getMessage().contains("[id]") && badId.getMessage().contains("../m"), badId.getMessage());
        PackageRefusedException reserved = assertThrows(PackageRefusedException.class, () -> publish(repository,
                TestPackages.zip("id=core\nversion=1\ncore.minVersion=0.1\nactions=a\nmain.class=m.Main\n"), ReleaseChannel.STABLE));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        assertTrue(repository.entries().isEmpty());
    }
}
