package com.cloudextender.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.store.LocalStore;

class IdentityStoreTest {
    @TempDir
    Path data;

    private final Identity identity = new Identity("ext-1", "acme", "ext-1@cloud.test", "Very-Secret-Credential",
            "cloud.test", List.of("cloud.test"), 1L);

    @Test
    void identitySurvivesRestartOnTheSameMachine() {
        try (LocalStore s = LocalStore.open(data)) {
            new IdentityStore(s, MachineKey.open(data, "machine-1")).save(identity);
        }
        try (LocalStore s = LocalStore.open(data)) {
            IdentityStore.Loaded l = new IdentityStore(s, MachineKey.open(data, "machine-1")).load();
            assertEquals(identity, assertInstanceOf(IdentityStore.Found.class, l).identity());
        }
    }

    /** A crash between the cloud's answer and {@code save}: the next start sends the same key. */
    @Test
    void theRegistrationKeySurvivesACrashAndGoesOnceTheIdentityIsStored() {
        String key;
        try (LocalStore s = LocalStore.open(data)) {
            key = new IdentityStore(s, MachineKey.open(data, "machine-1")).registrationKey();
        }
        try (LocalStore s = LocalStore.open(data)) {
            IdentityStore store = new IdentityStore(s, MachineKey.open(data, "machine-1"));
            assertEquals(key, store.registrationKey());
            store.save(identity);
            assertFalse(key.equals(store.registrationKey()), "a served key is not sent again");
        }
    }

    @Test
    void credentialIsNotStoredInClear() throws Exception {
        try (LocalStore s = LocalStore.open(data)) {
            new IdentityStore(s, MachineKey.open(data, "machine-1")).save(identity);
        }
        String raw = new String(Files.readAllBytes(data.resolve("extender.mv.db")), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("Very-Secret-Credential"));
        assertFalse(raw.contains("ext-1@cloud.test"));
    }

    @Test
    void stateCopiedToAnotherMachineIsRecognisedAsCopied() {
        try (LocalStore s = LocalStore.open(data)) {
            new IdentityStore(s, MachineKey.open(data, "machine-1")).save(identity);
        }
        try (LocalStore s = LocalStore.open(data)) {
            assertInstanceOf(IdentityStore.Copied.class, new IdentityStore(s, MachineKey.open(data, "machine-2")).load());
        }
    }

    @Test
    void damagedSealIsReportedAsDamaged() {
        try (LocalStore s = LocalStore.open(data)) {
            IdentityStore store = new IdentityStore(s, MachineKey.open(data, "machine-1"));
            store.save(identity);
            s.<String, String>map("identity").put("sealed", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            assertInstanceOf(IdentityStore.Damaged.class, store.load());
        }
    }
}
