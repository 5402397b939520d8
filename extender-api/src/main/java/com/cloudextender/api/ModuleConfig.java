package com.cloudextender.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A module's configuration: text values by key, secrets already decrypted. Immutable and thread-safe;
 * {@link #toString()} hides secret values. Typed getters name the key in every error, so a module can
 * pass the message on as it is.
 *
 * @param values  every configured key and its value
 * @param secrets the keys whose values are secrets (never logged, encrypted at rest)
 */
public record ModuleConfig(Map<String, String> values, Set<String> secrets) {
    public ModuleConfig {
        values = Map.copyOf(values);
        secrets = Set.copyOf(secrets);
    }

    /** An empty configuration. */
    public static ModuleConfig empty() {
        return new ModuleConfig(Map.of(), Set.of());
    }

    /** The value of {@code key}, if set. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * The value of {@code key}.
     *
     * @throws IllegalArgumentException naming the key when it is not set
     */
    public String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + ": missing; it is required");
        }
        return v;
    }

    /** {@code key} as an integer, or {@code otherwise} when not set; the message names a bad value's key. */
    public int intValue(String key, int otherwise) {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number");
        }
    }

    /** {@code key} as {@code true} or {@code false}, or {@code otherwise} when not set. */
    public boolean boolValue(String key, boolean otherwise) {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + v + "' is not true or false");
        };
    }

    /**
     * {@code key} as a duration written like {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or
     * {@code 1d}, or {@code otherwise} when not set.
     */
    public Duration durationValue(String key, Duration otherwise) {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        Duration d = Durations.parse(v);
        if (d == null) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a duration such as 500ms, 30s, 5m, 2h or 1d");
        }
        return d;
    }

    /** True when {@code key} holds a secret. */
    public boolean isSecret(String key) {
        return secrets.contains(key);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, secrets.contains(k) ? "***" : v));
        return "ModuleConfig" + shown;
    }

    /** Parsing of the duration notation shared with the extender's own configuration. */
    public static final class Durations {
        private Durations() {
        }

        /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}; {@code null} when malformed. */
        public static Duration parse(String text) {
            Objects.requireNonNull(text, "text");
            String t = text.trim();
            int i = 0;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                i++;
            }
            if (i == 0 || i > 12) {
                return null;
            }
            long n = Long.parseLong(t.substring(0, i));
            return switch (t.substring(i).trim()) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> null;
            };
        }
    }
}
