package com.cloudextender.devcloud.meg;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.cloudextender.devcloud.auth.PasswordHash;

/**
 * The gateway's users: a name, the customer whose extenders relay for them, and a password kept as
 * a PBKDF2 hash. A password that matched once is remembered as a SHA-256 digest, so that every
 * request of a busy client does not pay for PBKDF2 again. In memory. Thread-safe.
 */
public final class GatewayUsers {
    private record User(String customer, PasswordHash hash, Set<String> accepted) {
    }

    private final Map<String, User> users = new ConcurrentHashMap<>();

    /** Adds or replaces {@code name}. */
    public void put(String name, String customer, String password) {
        if (name == null || name.isEmpty() || name.contains(":") || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a gateway user needs a name without ':' and a password");
        }
        users.put(name, new User(customer, PasswordHash.of(password), ConcurrentHashMap.newKeySet()));
    }

    /** The user's customer when {@code password} is right. */
    public Optional<String> authenticate(String name, String password) {
        User u = users.get(name);
        if (u == null) {
            return Optional.empty();
        }
        String digest = digest(password);
        if (u.accepted.contains(digest)) {
            return Optional.of(u.customer);
        }
        if (!u.hash.matches(password)) {
            return Optional.empty();
        }
        u.accepted.add(digest);
        return Optional.of(u.customer);
    }

    private static String digest(String password) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
