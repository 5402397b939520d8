package com.cloudextender.core.lease;

import java.util.regex.Pattern;

/** Checks a lease name: 1 to 64 letters, digits, {@code .}, {@code -} and {@code _}. */
final class LeaseNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private LeaseNames() {
    }

    static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the lease name '" + name + "' is not valid: use 1 to 64 letters, digits, "
                    + "'.', '-' or '_'");
        }
        return name;
    }
}
