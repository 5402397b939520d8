package com.cloudextender.core.setup;

import java.util.List;
import java.util.Optional;

/**
 * The directory answers, written to conf/modules/directory.properties as profile {@code profile}. The bind
 * password is in clear in memory only (it is sealed when written); {@link #toString()} hides it.
 */
public record DirectorySettings(String profile, String type, List<String> servers, boolean startTls, String bindDn,
        String bindPassword, String baseDn, Optional<String> trustStore, List<String> includeOus) {
    public DirectorySettings {
        servers = List.copyOf(servers);
        includeOus = List.copyOf(includeOus);
    }

    @Override
    public String toString() {
        return "DirectorySettings[profile=" + profile + ", type=" + type + ", servers=" + servers + ", startTls="
                + startTls + ", bindDn=" + bindDn + ", baseDn=" + baseDn + ", includeOus=" + includeOus + "]";
    }
}
