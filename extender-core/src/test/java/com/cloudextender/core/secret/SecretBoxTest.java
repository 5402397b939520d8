package com.cloudextender.core.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.config.ConfigException;

class SecretBoxTest {
    @TempDir
    Path dir;

    private SecretBox box() {
        return new SecretBox(MachineKey.open(dir, "machine-1"));
    }

    /** What an earlier version wrote: the same cipher without associated data, under the v1 prefix. */
    static String sealedByEarlierVersion(SecretBox box, String clear) {
        return "enc:v1:" + Base64.getEncoder().encodeToString(box.sealBytes(clear.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSealedValueOpensUnderItsOwnName() {
        SecretBox box = box();
        String sealed = box.seal("proxy.password", "hunter2");
        assertTrue(sealed.startsWith("enc:v2:"), sealed);
        assertFalse(SecretBox.isLegacy(sealed));
        assertEquals("hunter2", box.open("proxy.password", sealed));
    }

    @Test
    void aSealedValueCopiedToAnotherKeyDoesNotOpen() {
        SecretBox box = box();
        String sealed = box.seal("proxy.password", "hunter2");
        ConfigException e = assertThrows(ConfigException.class, () -> box.open("status.password", sealed));
        assertTrue(e.getMessage().startsWith("status.password: the encrypted value cannot be opened"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void valuesSealedByEarlierVersionsStillOpenAndAreRecognised() {
        SecretBox box = box();
        String legacy = sealedByEarlierVersion(box, "old secret");
        assertTrue(SecretBox.isSealed(legacy));
        assertTrue(SecretBox.isLegacy(legacy));
        assertEquals("old secret", box.open("any.key", legacy));
    }

    @Test
    void theErrorNamesTheFileAndTheKey() {
        SecretBox box = box();
        String sealed = box.seal("profile.a.bindPassword", "pw");
        ConfigException e = assertThrows(ConfigException.class,
                () -> box.open("directory.properties", "profile.b.bindPassword", sealed));
        assertTrue(e.getMessage().startsWith("directory.properties: profile.b.bindPassword: "), e.getMessage());
    }
}
