package com.cloudextender.modules.directory.lookup;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attribute names in lower case, each computed once. UnboundID's {@code Entry} looks an attribute up by
 * its lower-case name and lower-cases the name it is given on every call, allocating a copy (whose hash it
 * then computes) when the name has a capital. The sync looks up the configured names (entryUUID, givenName,
 * displayName…) for every entry. Only names from the module's configuration pass through here, so the
 * cache stays as small as that.
 */
public final class AttributeNames {
    private static final ConcurrentHashMap<String, String> LOWER = new ConcurrentHashMap<>();

    private AttributeNames() {
    }

    /** {@code name} in lower case, the same String for equal names. */
    public static String lower(String name) {
        String l = LOWER.get(name);
        return l != null ? l : LOWER.computeIfAbsent(name, n -> n.toLowerCase(Locale.ROOT));
    }
}
