package com.cloudextender.core.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which salt store each platform gets, the Linux file, and the Windows store's logic with a stand-in for
 * DPAPI (the real one, {@link PowerShellDpapi}, runs only on Windows and is not executed here).
 */
class SaltStoreTest {
    @TempDir
    Path dir;

    /** Seals by prefixing the machine's name and flipping bits; opens only what the same machine sealed. */
    record FakeDpapi(String machine) implements Dpapi {
        @Override
        public byte[] protect(byte[] clear) {
            byte[] tag = machine.getBytes();
            byte[] out = Arrays.copyOf(tag, tag.length + clear.length);
            for (int i = 0; i < clear.length; i++) {
                out[tag.length + i] = (byte) ~clear[i];
            }
            return out;
        }

        @Override
        public byte[] unprotect(byte[] sealed) throws IOException {
            byte[] tag = machine.getBytes();
            if (sealed.length < tag.length || !Arrays.equals(tag, Arrays.copyOf(sealed, tag.length))) {
                throw new IOException("Key not valid for use in specified state");
            }
            byte[] out = new byte[sealed.length - tag.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) ~sealed[tag.length + i];
            }
            return out;
        }
    }

    @Test
    void windowsGetsDpapiAndEveryOtherSystemTheSaltFile() {
        AtomicInteger dpapiMade = new AtomicInteger();
        java.util.function.Supplier<Dpapi> dpapi = () -> {
            dpapiMade.incrementAndGet();
            return new FakeDpapi("m");
        };
        assertInstanceOf(SaltFile.class, SaltStore.forOs("Linux", dpapi));
        assertInstanceOf(SaltFile.class, SaltStore.forOs("Mac OS X", dpapi));
        assertInstanceOf(SaltFile.class, SaltStore.forOs("FreeBSD", dpapi));
        assertEquals(0, dpapiMade.get(), "no DPAPI outside Windows");
        assertInstanceOf(DpapiSaltFile.class, SaltStore.forOs("Windows Server 2022", dpapi));
        assertInstanceOf(DpapiSaltFile.class, SaltStore.forOs("Windows 11", dpapi));
        assertEquals(2, dpapiMade.get());
    }

    @Test
    void thisLinuxMachineUsesTheSaltFile() {
        assertInstanceOf(SaltFile.class, SaltStore.forThisMachine());
    }

    @Test
    void theSaltFileIsCreatedOwnerOnlyOnceAndDamageIsNamed() throws IOException {
        byte[] salt = new SaltFile().loadOrCreate(dir);
        assertEquals(SaltStore.SALT_BYTES, salt.length);
        Path file = dir.resolve("machine.salt");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(salt, new SaltFile().loadOrCreate(dir));
        Files.write(file, new byte[5]);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SaltFile().loadOrCreate(dir));
        assertTrue(e.getMessage().contains("is damaged (5 bytes, expected 32)"), e.getMessage());
    }

    @Test
    void onWindowsOnlyTheSealedBlobIsWrittenAndItOpensOnlyOnThatMachine() throws IOException {
        byte[] salt = new DpapiSaltFile(new FakeDpapi("machine-A")).loadOrCreate(dir);
        assertFalse(Files.exists(dir.resolve("machine.salt")), "no clear salt file");
        byte[] blob = Files.readAllBytes(dir.resolve("machine.salt.dpapi"));
        assertFalse(Arrays.equals(salt, Arrays.copyOfRange(blob, blob.length - salt.length, blob.length)),
                "the blob is not the salt");
        assertArrayEquals(salt, new DpapiSaltFile(new FakeDpapi("machine-A")).loadOrCreate(dir));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new DpapiSaltFile(new FakeDpapi("machine-B")).loadOrCreate(dir));
        assertTrue(e.getMessage().contains("cannot be opened with DPAPI on this machine"), e.getMessage());
    }

    @Test
    void aClearSaltFromAnEarlierVersionIsSealedThenDeletedAndTheKeyStaysTheSame() {
        MachineKey before = MachineKey.open(dir, "machine-1", new SaltFile());
        assertTrue(Files.exists(dir.resolve("keys/machine.salt")));
        MachineKey after = MachineKey.open(dir, "machine-1", new DpapiSaltFile(new FakeDpapi("machine-A")));
        assertArrayEquals(before.key(), after.key(), "secrets sealed before the migration still open");
        assertFalse(Files.exists(dir.resolve("keys/machine.salt")), "the clear salt is gone");
        assertTrue(Files.exists(dir.resolve("keys/machine.salt.dpapi")));
        assertArrayEquals(before.key(),
                MachineKey.open(dir, "machine-1", new DpapiSaltFile(new FakeDpapi("machine-A"))).key());
    }
}
