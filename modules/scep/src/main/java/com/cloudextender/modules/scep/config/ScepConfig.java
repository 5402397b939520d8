package com.cloudextender.modules.scep.config;

import com.cloudextender.api.ModuleConfig;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole module configuration, checked once at start: the profiles by name. Immutable.
 *
 * @param profiles the profiles by name, in the configured order
 */
public record ScepConfig(Map<String, ProfileSettings> profiles) {
    public ScepConfig {
        profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    /** Reads and checks {@code config}; the message of a failure names the key to fix. */
    public static ScepConfig read(ModuleConfig config) {
        List<String> names = Arrays.stream(config.require("profiles").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("profiles: empty; name at least one profile, for example profiles=wifi");
        }
        Map<String, ProfileSettings> profiles = new LinkedHashMap<>();
        for (String name : names) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("profiles: '" + name
                        + "' is not a valid profile name; use letters, digits, '-' and '_'");
            }
            profiles.put(name, ProfileSettings.read(config, name));
        }
        return new ScepConfig(profiles);
    }
}
