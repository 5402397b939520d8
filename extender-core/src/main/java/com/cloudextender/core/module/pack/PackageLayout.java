package com.cloudextender.core.module.pack;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The entries a module package may hold, and the names it may never use: whatever could write
 * outside the module folder or be read differently by two zip readers is refused by name before a
 * byte is extracted.
 */
final class PackageLayout {
    static final String DESCRIPTOR = "module.properties";
    static final String DIGESTS = "DIGESTS";
    static final String SIGNATURE = "DIGESTS.p7s";
    static final String LIB = "lib/";
    private static final Pattern JAR = Pattern.compile("lib/[A-Za-z0-9_][A-Za-z0-9._+-]*\\.jar");
    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:.*");

    private PackageLayout() {
    }

    /**
     * Checks every entry.
     *
     * @throws IllegalArgumentException with what is wrong with which entry (the caller adds the package)
     */
    static void check(List<ZipDirectory.Entry> entries) {
        Set<String> seen = new HashSet<>();
        for (ZipDirectory.Entry e : entries) {
            String name = e.name();
            String shown = "entry \"" + name + "\"";
            if (name.startsWith("/") || name.startsWith("\\") || DRIVE.matcher(name).matches()) {
                throw new IllegalArgumentException(shown + " is an absolute path");
            }
            if (name.indexOf('\\') >= 0) {
                throw new IllegalArgumentException(shown + " contains a backslash; zip paths use /");
            }
            for (String segment : name.split("/", -1)) {
                if (segment.equals("..")) {
                    throw new IllegalArgumentException(shown + " escapes the module folder");
                }
                if (segment.isEmpty() || segment.equals(".")) {
                    throw new IllegalArgumentException(shown + " has an empty path segment");
                }
            }
            if (e.isSymbolicLink()) {
                throw new IllegalArgumentException(shown + " is a symbolic link");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(shown + " appears twice");
            }
            if (!isAllowed(name)) {
                throw new IllegalArgumentException(shown + " is not allowed; a package holds only " + DESCRIPTOR + ", "
                        + DIGESTS + ", " + SIGNATURE + " and lib/<name>.jar (no sub-folders)");
            }
        }
    }

    /** True for the descriptor, the two signature files and a jar directly in lib/. */
    static boolean isAllowed(String name) {
        return name.equals(DESCRIPTOR) || name.equals(DIGESTS) || name.equals(SIGNATURE) || JAR.matcher(name).matches();
    }
}
