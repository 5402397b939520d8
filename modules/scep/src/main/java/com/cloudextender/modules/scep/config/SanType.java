package com.cloudextender.modules.scep.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The subject alternative name types a profile may allow, by the names used in configuration. */
public enum SanType {
    /** An e-mail address. */
    RFC822_NAME("rfc822Name"),
    /** A DNS host name. */
    DNS_NAME("dNSName"),
    /** A Microsoft user principal name (otherName 1.3.6.1.4.1.311.20.2.3). */
    UPN("upn"),
    /** A uniform resource identifier. */
    URI("uri");

    private final String configName;

    SanType(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration and in {@code sans} arguments, for example {@code dNSName}. */
    public String configName() {
        return configName;
    }

    /** The type named {@code name}, compared without regard to case. */
    public static Optional<SanType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.toLowerCase(Locale.ROOT)
                .equals(name.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** All names, for messages. */
    public static String allNames() {
        return Arrays.stream(values()).map(SanType::configName).collect(Collectors.joining(", "));
    }
}
