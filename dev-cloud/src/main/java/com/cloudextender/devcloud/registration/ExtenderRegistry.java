package com.cloudextender.devcloud.registration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.auth.PasswordHash;
import com.cloudextender.devcloud.auth.RandomTokens;

/**
 * Activation codes and registered extenders, persisted in the data directory (see {@link RegistryFile}).
 * Thread-safe: every method synchronises on the registry, except the password check, which runs the
 * (deliberately slow) hash outside the lock.
 */
public final class ExtenderRegistry {
    /** How long a new activation code stays valid. */
    public static final Duration DEFAULT_CODE_VALIDITY = Duration.ofDays(7);
    /** Prefix of every extender id. */
    public static final String ID_PREFIX = "ext-";

    private static final Logger LOG = LoggerFactory.getLogger(ExtenderRegistry.class);

    private final RegistryFile file;
    private final Clock clock;
    private final Map<String, ActivationCode> codes = new LinkedHashMap<>();
    private final Map<String, ExtenderAccount> accounts = new LinkedHashMap<>();

    private ExtenderRegistry(RegistryFile file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Opens the registry stored in {@code file}, which need not exist yet. */
    public static ExtenderRegistry open(Path file) throws IOException {
        return open(file, Clock.systemUTC());
    }

    static ExtenderRegistry open(Path file, Clock clock) throws IOException {
        ExtenderRegistry registry = new ExtenderRegistry(new RegistryFile(file), clock);
        RegistryFile.Content content = registry.file.load();
        content.codes().forEach(c -> registry.codes.put(c.code(), c));
        content.accounts().forEach(a -> registry.accounts.put(a.id(), a));
        return registry;
    }

    /**
     * Creates a random single-use activation code for {@code customer}, valid for {@link #DEFAULT_CODE_VALIDITY}.
     */
    public synchronized ActivationCode createActivationCode(String customer) {
        return addActivationCode(RandomTokens.activationCode(), customer, DEFAULT_CODE_VALIDITY, false);
    }

    /**
     * Adds a given activation code (scripts use a fixed one), valid for {@code validity} from now. An
     * existing code with the same text is replaced.
     *
     * @param reusable false: the code registers one extender; true: any number until it expires (demos)
     */
    public synchronized ActivationCode addActivationCode(String code, String customer, Duration validity,
            boolean reusable) {
        requireText(code, "activation code");
        requireText(customer, "customer");
        ActivationCode created = new ActivationCode(ActivationCode.normalise(code), customer.trim(),
                clock.instant().plus(validity), reusable, false);
        codes.put(created.code(), created);
        save();
        LOG.info("Activation code created for customer '{}', valid until {}, {}", created.customer(),
                created.expiresAt(), reusable ? "reusable" : "single use");
        return created;
    }

    /**
     * Registers a new extender with {@code code}. Every call creates a new extender id and password; a
     * single-use code is spent by it.
     *
     * @throws ActivationRefusedException if the code is unknown, expired or already used
     */
    public synchronized Registration register(String code, String hostname, String version, String machine)
            throws ActivationRefusedException {
        return register(code, hostname, version, machine, null);
    }

    /**
     * As {@link #register(String, String, String, String)}, with the installation's registration key
     * (docs/PROTOCOL.md section 1): a request that repeats one already served (same code's customer, same
     * machine, same key: the extender crashed before it stored the answer) gets the same extender id with a
     * new password, even when the single-use code is spent, instead of a refusal that would strand the
     * installation. Only within the code's validity, and never for a revoked extender.
     */
    public synchronized Registration register(String code, String hostname, String version, String machine,
            String registrationKey) throws ActivationRefusedException {
        ActivationCode known = codes.get(ActivationCode.normalise(code));
        if (known == null) {
            throw new ActivationRefusedException("unknown activation code");
        }
        if (!clock.instant().isBefore(known.expiresAt())) {
            throw new ActivationRefusedException("the activation code expired at " + known.expiresAt());
        }
        String keyHash = registrationKey == null || registrationKey.isBlank() ? null : sha256(registrationKey);
        if (keyHash != null) {
            Optional<ExtenderAccount> served = accounts.values().stream()
                    .filter(a -> keyHash.equals(a.registrationKey()) && a.customer().equals(known.customer())
                            && a.machine().equals(machine) && !a.revoked())
                    .findFirst();
            if (served.isPresent()) {
                String password = RandomTokens.urlSafe(24);
                ExtenderAccount account = served.get().withPassword(PasswordHash.of(password));
                accounts.put(account.id(), account);
                save();
                LOG.warn("Registration of extender {} repeated by the same installation (host {}): its first answer "
                        + "was not stored; the same id with a new password was issued", account.id(), hostname);
                return new Registration(account, password);
            }
        }
        if (!known.isValidAt(clock.instant())) {
            throw new ActivationRefusedException("the activation code was already used; create a new one for "
                    + "each extender");
        }
        String id;
        do {
            id = ID_PREFIX + RandomTokens.lowerAlphanumeric(12);
        } while (accounts.containsKey(id));
        String password = RandomTokens.urlSafe(24);
        ExtenderAccount account = new ExtenderAccount(id, known.customer(), hostname, version, machine,
                PasswordHash.of(password), false, clock.instant(), keyHash);
        accounts.put(id, account);
        codes.put(known.code(), known.spent());
        save();
        LOG.info("Registered extender {} for customer '{}' (host {}, version {})", id, known.customer(), hostname,
                version);
        return new Registration(account, password);
    }

    /** Whether {@code password} is the current credential of {@code extenderId}; false when revoked or unknown. */
    public boolean authenticate(String extenderId, String password) {
        ExtenderAccount account;
        synchronized (this) {
            account = accounts.get(extenderId);
        }
        return account != null && !account.revoked() && account.password().matches(password);
    }

    /** Why authentication of {@code extenderId} cannot succeed regardless of the password, or null. For logs. */
    public synchronized String unusableReason(String extenderId) {
        ExtenderAccount account = accounts.get(extenderId);
        if (account == null) {
            return "no such extender";
        }
        return account.revoked() ? "the credential is revoked" : null;
    }

    /** Revokes the credential of {@code extenderId}: its next authentication fails. */
    public synchronized void revoke(String extenderId) {
        ExtenderAccount account = accounts.get(extenderId);
        if (account == null) {
            throw new IllegalArgumentException("no extender '" + extenderId + "' is registered");
        }
        accounts.put(extenderId, account.revoke());
        save();
        LOG.info("Revoked the credential of extender {}", extenderId);
    }

    public synchronized Optional<ExtenderAccount> find(String extenderId) {
        return Optional.ofNullable(accounts.get(extenderId));
    }

    /** All accounts in registration order. */
    public synchronized List<ExtenderAccount> accounts() {
        return new ArrayList<>(accounts.values());
    }

    /** Whether {@code customer} has an activation code or a registered extender. */
    public synchronized boolean knowsCustomer(String customer) {
        return codes.values().stream().anyMatch(c -> c.customer().equals(customer))
                || accounts.values().stream().anyMatch(a -> a.customer().equals(customer));
    }

    private void save() {
        try {
            file.save(codes.values(), accounts.values());
        } catch (IOException e) {
            // The registry keeps working in memory; only a restart would lose the change.
            LOG.error("Cannot save the extender registry: {}", e.getMessage(), e);
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
