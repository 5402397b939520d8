package com.cloudextender.devcloud.modules;

/**
 * A package the repository does not accept. The message names what is wrong and what to do;
 * {@link #conflict()} tells a duplicate (the same id and version is already published) from a bad package.
 */
public final class PackageRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean conflict;

    private PackageRefusedException(String message, boolean conflict) {
        super(message);
        this.conflict = conflict;
    }

    /** The package itself is wrong: not a zip, no descriptor, a missing or bad property. */
    public static PackageRefusedException invalid(String message) {
        return new PackageRefusedException(message, false);
    }

    /** The package is fine but its id and version are already published. */
    public static PackageRefusedException duplicate(String message) {
        return new PackageRefusedException(message, true);
    }

    public boolean conflict() {
        return conflict;
    }
}
