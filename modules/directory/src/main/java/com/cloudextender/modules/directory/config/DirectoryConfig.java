package com.cloudextender.modules.directory.config;

import com.cloudextender.api.ModuleConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole module configuration, checked once at start: the profiles in the order they are tried,
 * and the sync settings. Immutable.
 *
 * @param profiles the profiles by name, in the configured order
 * @param sync     what to synchronise and how
 */
public record DirectoryConfig(Map<String, ProfileSettings> profiles, SyncSettings sync) {
    public DirectoryConfig {
        profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    /** Reads and checks {@code config}; the message of a failure names the key to fix. */
    public static DirectoryConfig read(ModuleConfig config) {
        List<String> names = ProfileSettings.list(config.require("profiles"));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("profiles: empty; name at least one profile, for example profiles=corp");
        }
        Map<String, ProfileSettings> profiles = new LinkedHashMap<>();
        for (String name : names) {
            profiles.put(name, ProfileSettings.read(config, name));
        }
        return new DirectoryConfig(profiles, SyncSettings.read(config, profiles));
    }

    /** The profile named {@code name}, if configured. */
    public Optional<ProfileSettings> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }
}
