package com.cloudextender.core.identity;

import java.security.GeneralSecurityException;
import java.util.Base64;

import org.h2.mvstore.MVMap;

import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.store.LocalStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keeps the {@link Identity} sealed with AES-GCM under the machine key, next to the machine
 * fingerprint it was sealed on. The fingerprint is what tells "copied from another machine" apart from
 * "damaged".
 */
public final class IdentityStore {
    /** What was found at start. */
    public sealed interface Loaded {
    }

    /** No identity yet: first start. */
    public record None() implements Loaded {
    }

    /** An identity sealed on this machine. */
    public record Found(Identity identity) implements Loaded {
    }

    /** State sealed on another machine: a copy that must register as a new extender. */
    public record Copied(String storedFingerprint) implements Loaded {
    }

    /** Sealed on this machine but unreadable (damaged file or removed key). */
    public record Damaged(String reason) implements Loaded {
    }

    private final LocalStore store;
    private final MVMap<String, String> map;
    private final MachineKey key;
    private final SecretBox box;
    private final ObjectMapper json = new ObjectMapper();

    public IdentityStore(LocalStore store, MachineKey key) {
        this.store = store;
        this.map = store.map("identity");
        this.key = key;
        this.box = new SecretBox(key);
    }

    public Loaded load() {
        String sealed = map.get("sealed");
        if (sealed == null) {
            return new None();
        }
        String fingerprint = map.get("machine");
        if (fingerprint != null && !fingerprint.equals(key.fingerprint())) {
            return new Copied(fingerprint);
        }
        try {
            byte[] clear = box.openBytes(Base64.getDecoder().decode(sealed));
            return new Found(json.readValue(clear, Identity.class));
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            return new Damaged(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Replaces the stored identity and commits at once. */
    public void save(Identity identity) {
        try {
            byte[] clear = json.writeValueAsBytes(identity);
            map.put("machine", key.fingerprint());
            map.put("sealed", Base64.getEncoder().encodeToString(box.sealBytes(clear)));
            map.remove("registrationKey"); // served: a later registration (after a revocation) is a new one
            store.commit();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the identity", e);
        }
    }

    /**
     * The key this installation sends with its registration (docs/PROTOCOL.md section 1), created and
     * committed on first use, before the request goes out: if the process dies after the cloud registered
     * it but before {@link #save} stored the answer, the next start sends the same key and gets the same
     * extender back instead of a refused, already spent activation code. Sealed like the identity.
     */
    public String registrationKey() {
        String sealed = map.get("registrationKey");
        if (sealed != null) {
            try {
                return new String(box.openBytes(Base64.getDecoder().decode(sealed)),
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // Unreadable (a restored machine key, say): a new key only costs the crash protection.
            }
        }
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String created = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        map.put("registrationKey", Base64.getEncoder().encodeToString(
                box.sealBytes(created.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        store.commit();
        return created;
    }

    /** Forgets the identity (the copy detection and credential rejection paths). */
    public void clear() {
        map.clear();
        store.commit();
    }
}
