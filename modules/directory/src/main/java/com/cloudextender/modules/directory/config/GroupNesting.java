package com.cloudextender.modules.directory.config;


/**
 * How the groups a user belongs to through other groups are found ({@code profile.<p>.nestedGroups}).
 */
public enum GroupNesting {
    /**
     * Active Directory's LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941): the server walks the
     * membership chain in one search.
     */
    IN_CHAIN("inChain"),
    /** Searches level by level for the groups listing the groups found so far, with cycle detection and a depth cap. */
    EXPAND("expand"),
    /** Direct memberships only. */
    DIRECT("direct");

    private final String configName;

    GroupNesting(String configName) {
        this.configName = configName;
    }

    /** The mode written {@code name} in the configuration. */
    public static GroupNesting named(String key, String name) {
        for (GroupNesting n : values()) {
            if (n.configName.equalsIgnoreCase(name.trim())) {
                return n;
            }
        }
        throw new IllegalArgumentException(key + ": '" + name + "' is not a nesting mode; use inChain (Active "
                + "Directory), expand or direct");
    }

    @Override
    public String toString() {
        return configName;
    }
}
