package com.cloudextender.core.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cloudextender.core.config.ConfigLoader;

/**
 * Replaces the value of every secret key in properties text with {@code <removed>}, sealed or clear, in active
 * and commented-out lines alike. A key is secret when the extender says so ({@link ConfigLoader#SECRET_KEYS}) or,
 * to be safe with module settings, when its name contains password, secret, code, token or key.
 */
public final class SecretRedactor {
    /** What replaces a secret value. */
    public static final String REMOVED = "<removed>";
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "code", "token", "key");
    private static final Pattern LINE = Pattern.compile("^(\\s*[#!]?\\s*)([^\\s=:#!]+)(\\s*[=:\\s]\\s*)(.*)$");

    private SecretRedactor() {
    }

    /** True when the value of {@code key} must not leave the machine. */
    public static boolean isSecret(String key) {
        if (ConfigLoader.SECRET_KEYS.contains(key)) {
            return true;
        }
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(k::contains);
    }

    /** The lines with each secret value replaced; a continued value (ending in a backslash) is removed whole. */
    public static List<String> redact(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        boolean dropContinuation = false;
        for (String line : lines) {
            if (dropContinuation) {
                dropContinuation = endsContinued(line);
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (m.matches() && isSecret(m.group(2)) && !m.group(4).isBlank() && !isProse(m)) {
                out.add(m.group(1) + m.group(2) + m.group(3) + REMOVED);
                dropContinuation = endsContinued(line);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    /** A comment whose first word is followed by a blank, not by = or :, is text, not a commented-out setting. */
    private static boolean isProse(Matcher m) {
        boolean comment = m.group(1).contains("#") || m.group(1).contains("!");
        return comment && !m.group(3).contains("=") && !m.group(3).contains(":");
    }

    private static boolean endsContinued(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }
}
