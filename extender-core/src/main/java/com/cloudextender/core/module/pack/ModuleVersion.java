package com.cloudextender.core.module.pack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A module or core version: {@code N(.N){0,2}(-qualifier)?}, for example {@code 1}, {@code 1.2},
 * {@code 1.2.3}, {@code 1.3.0-rc.1} or {@code 0.1.0-SNAPSHOT}. Immutable and thread-safe.
 *
 * <p>Ordering follows Semantic Versioning 2.0.0, section 11: missing numbers count as 0 (so
 * {@code 1.2} equals {@code 1.2.0}), numbers compare numerically ({@code 1.2 < 1.10}), and a version
 * with a qualifier is a pre-release that sorts before the same version without one
 * ({@code 1.3.0-rc.1 < 1.3.0}). Qualifiers compare by dot-separated identifiers: numeric ones
 * numerically and below alphanumeric ones, alphanumeric ones in ASCII order, a shorter list first
 * when all shared identifiers are equal. {@link #equals} agrees with {@link #compareTo}.
 */
public final class ModuleVersion implements Comparable<ModuleVersion> {
    private static final Pattern SYNTAX = Pattern.compile(
            "(0|[1-9]\\d{0,8})(?:\\.(0|[1-9]\\d{0,8}))?(?:\\.(0|[1-9]\\d{0,8}))?"
                    + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");
    private static final Pattern NUMERIC = Pattern.compile("\\d+");

    private final String text;
    private final int[] numbers;
    private final List<String> qualifier;

    private ModuleVersion(String text, int[] numbers, List<String> qualifier) {
        this.text = text;
        this.numbers = numbers;
        this.qualifier = qualifier;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the expected form when it is malformed
     */
    public static ModuleVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version; expected N, N.N or N.N.N with an "
                    + "optional -qualifier and no leading zeros, for example 1.2.0 or 1.3.0-rc.1");
        }
        int[] numbers = new int[3];
        for (int i = 0; i < 3; i++) {
            String group = m.group(i + 1);
            numbers[i] = group == null ? 0 : Integer.parseInt(group);
        }
        List<String> qualifier = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return new ModuleVersion(text, numbers, qualifier);
    }

    /** True when the version has a qualifier, such as {@code -rc.1} or {@code -SNAPSHOT}. */
    public boolean isPreRelease() {
        return !qualifier.isEmpty();
    }

    @Override
    public int compareTo(ModuleVersion other) {
        int c = Arrays.compare(numbers, other.numbers);
        if (c != 0) {
            return c;
        }
        if (qualifier.isEmpty() || other.qualifier.isEmpty()) {
            // The release sorts after its pre-releases.
            return Boolean.compare(qualifier.isEmpty(), other.qualifier.isEmpty());
        }
        for (int i = 0; i < Math.min(qualifier.size(), other.qualifier.size()); i++) {
            c = compareIdentifiers(qualifier.get(i), other.qualifier.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(qualifier.size(), other.qualifier.size());
    }

    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = NUMERIC.matcher(a).matches();
        boolean bNumeric = NUMERIC.matcher(b).matches();
        if (aNumeric && bNumeric) {
            return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(numbers) + normalisedQualifier().hashCode();
    }

    /** The qualifier with numeric identifiers stripped of leading zeros, so hashCode agrees with equals. */
    private List<String> normalisedQualifier() {
        List<String> out = new ArrayList<>(qualifier.size());
        for (String q : qualifier) {
            out.add(NUMERIC.matcher(q).matches() ? new java.math.BigInteger(q).toString() : q);
        }
        return out;
    }

    /** The version as written. */
    @Override
    public String toString() {
        return text;
    }
}
