package com.cloudextender.core.module.pack;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configuration key a module accepts, as declared by {@code config.<pattern>.*} in its
 * descriptor. A pattern segment {@code *} matches exactly one segment of letters, digits, {@code _}
 * and {@code -}, so {@code profile.*.servers} accepts {@code profile.corp.servers}. Immutable.
 *
 * @param pattern      the key, possibly with {@code *} segments
 * @param type         how values are written
 * @param secret       whether values are secrets (never logged, encrypted at rest, never echoed)
 * @param required     whether the key must be configured (or have a default)
 * @param defaultValue the value used when the key is not configured
 */
public record ConfigKey(String pattern, ConfigType type, boolean secret, boolean required, Optional<String> defaultValue) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    public ConfigKey {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        if (!isValidPattern(pattern)) {
            throw new IllegalArgumentException("'" + pattern + "' is not a configuration key; use dot-separated segments of "
                    + "letters, digits, _ and -, or * for one such segment");
        }
    }

    /** True when {@code pattern} is dot-separated segments, each a name or {@code *}. */
    static boolean isValidPattern(String pattern) {
        for (String segment : pattern.split("\\.", -1)) {
            if (!segment.equals("*") && !SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    /** True when this declaration has a {@code *} segment. */
    public boolean isWildcard() {
        return java.util.Arrays.asList(pattern.split("\\.", -1)).contains("*");
    }

    /** True when {@code key} is this declaration's key, or matches its pattern segment by segment. */
    public boolean matches(String key) {
        String[] want = pattern.split("\\.", -1);
        String[] have = key.split("\\.", -1);
        if (want.length != have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean ok = want[i].equals("*") ? SEGMENT.matcher(have[i]).matches() : want[i].equals(have[i]);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
