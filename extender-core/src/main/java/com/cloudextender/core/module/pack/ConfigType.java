package com.cloudextender.core.module.pack;

import com.cloudextender.api.ModuleConfig;
import java.util.Locale;

/**
 * The type of a module configuration key, as declared by {@code config.<key>.type} in the
 * descriptor. The accepted notations are those of {@link ModuleConfig}'s typed getters, so a value
 * that passes here never fails in the module.
 */
public enum ConfigType {
    /** Any text. */
    STRING("text"),
    /** A whole number that fits in an {@code int}. */
    INT("a whole number"),
    /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}). */
    BOOL("true or false"),
    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or {@code 1d}. */
    DURATION("a duration such as 500ms, 30s, 5m, 2h or 1d");

    private final String expected;

    ConfigType(String expected) {
        this.expected = expected;
    }

    /** Parses the descriptor's spelling ({@code string}, {@code int}, {@code bool}, {@code duration}). */
    public static ConfigType fromDescriptor(String text) {
        for (ConfigType t : values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a configuration type; use string, int, bool or duration");
    }

    /** True when {@code value} is written in this type's notation. */
    public boolean accepts(String value) {
        String v = value.trim();
        return switch (this) {
            case STRING -> true;
            case INT -> {
                try {
                    Integer.parseInt(v);
                    yield true;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            case BOOL -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "false", "no", "off" -> true;
                default -> false;
            };
            case DURATION -> ModuleConfig.Durations.parse(v) != null;
        };
    }

    /** What a value of this type looks like, for error messages. */
    public String expected() {
        return expected;
    }
}
