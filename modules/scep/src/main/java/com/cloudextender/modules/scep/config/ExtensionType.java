package com.cloudextender.modules.scep.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Requested extensions a profile may let a request carry besides subject alternative names (which are
 * always checked name by name). Any other requested extension is refused: a CA template that honours
 * requested extensions would otherwise issue whatever the request asks for.
 */
public enum ExtensionType {
    /** Key usage (2.5.29.15); never keyCertSign or cRLSign. */
    KEY_USAGE("keyUsage", "2.5.29.15"),
    /** Extended key usage (2.5.29.37); never anyExtendedKeyUsage. */
    EXTENDED_KEY_USAGE("extendedKeyUsage", "2.5.29.37");

    private final String configName;
    private final String oid;

    ExtensionType(String configName, String oid) {
        this.configName = configName;
        this.oid = oid;
    }

    /** The name used in configuration, for example {@code keyUsage}. */
    public String configName() {
        return configName;
    }

    /** The extension's OID. */
    public String oid() {
        return oid;
    }

    /** The type named {@code name}, compared without regard to case. */
    public static Optional<ExtensionType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.toLowerCase(Locale.ROOT)
                .equals(name.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The type whose OID is {@code oid}. */
    public static Optional<ExtensionType> ofOid(String oid) {
        return Arrays.stream(values()).filter(t -> t.oid.equals(oid)).findFirst();
    }

    /** All names, for messages. */
    public static String allNames() {
        return Arrays.stream(values()).map(ExtensionType::configName).collect(Collectors.joining(", "));
    }
}
