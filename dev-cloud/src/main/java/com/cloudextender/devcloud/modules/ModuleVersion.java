package com.cloudextender.devcloud.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A module version such as {@code 1}, {@code 1.2}, {@code 1.2.3}, {@code 1.3.0-rc.1} or
 * {@code 0.1.0-SNAPSHOT}: numeric parts, then an optional pre-release qualifier after a hyphen.
 *
 * <p>The syntax and order of docs/MODULE-PACKAGE.md. Order: numeric parts first (missing parts count as 0, so {@code 1.2} and {@code 1.2.0} rank
 * alike); with equal numbers a release is newer than its pre-releases; pre-releases compare their
 * dot-separated qualifier identifiers in the semantic-versioning way (numbers numerically and below
 * words, words by ASCII order, a shorter prefix first). Identity stays the exact text: equal rank does not
 * make two versions the same package.
 *
 * @param text the version as written
 * @param numbers the numeric parts
 * @param qualifier the pre-release qualifier, or null for a release
 */
public record ModuleVersion(String text, List<Integer> numbers, String qualifier) implements Comparable<ModuleVersion> {
    /** docs/MODULE-PACKAGE.md: {@code N(.N){0,2}(-qualifier)?}, no leading zeros, qualifier {@code [0-9A-Za-z-]+} dot-separated. */
    private static final Pattern SYNTAX = Pattern.compile(
            "(0|[1-9]\\d{0,8})(\\.(0|[1-9]\\d{0,8})){0,2}(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

    public ModuleVersion {
        numbers = List.copyOf(numbers);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static ModuleVersion parse(String text) {
        if (text == null || !SYNTAX.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a module version; expected one to three numbers "
                    + "without leading zeros, separated by dots, with an optional -qualifier, e.g. 1.2.3 or 1.3.0-rc.1");
        }
        int dash = text.indexOf('-'); // the first hyphen: a qualifier may contain more
        String numeric = dash < 0 ? text : text.substring(0, dash);
        List<Integer> numbers = new ArrayList<>();
        for (String part : numeric.split("\\.")) {
            numbers.add(Integer.parseInt(part));
        }
        return new ModuleVersion(text, numbers, dash < 0 ? null : text.substring(dash + 1));
    }

    /** Whether this is a pre-release (it has a qualifier). */
    public boolean isPreRelease() {
        return qualifier != null;
    }

    @Override
    public int compareTo(ModuleVersion other) {
        int length = Math.max(numbers.size(), other.numbers.size());
        for (int i = 0; i < length; i++) {
            int c = Integer.compare(part(numbers, i), part(other.numbers, i));
            if (c != 0) {
                return c;
            }
        }
        if (qualifier == null || other.qualifier == null) {
            return qualifier == null ? (other.qualifier == null ? 0 : 1) : -1;
        }
        return compareQualifiers(qualifier, other.qualifier);
    }

    private static int part(List<Integer> numbers, int i) {
        return i < numbers.size() ? numbers.get(i) : 0;
    }

    private static int compareQualifiers(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = compareIdentifiers(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int compareIdentifiers(String a, String b) {
        boolean aNumeric = a.chars().allMatch(Character::isDigit);
        boolean bNumeric = b.chars().allMatch(Character::isDigit);
        if (aNumeric && bNumeric) {
            // Lengths first: numeric identifiers may exceed a long, and have no leading-zero meaning here.
            String p = a.replaceFirst("^0+(?=.)", "");
            String q = b.replaceFirst("^0+(?=.)", "");
            return p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        return text;
    }
}
