package com.cloudextender.devcloud.features;

import java.util.Map;

import com.cloudextender.devcloud.modules.ModuleEntry;

/**
 * One {@code modules} command the cloud sends to bring an extender's module in line with its customer's
 * features: install a package (with the configuration), configure it, or remove it.
 *
 * @param moduleId the module concerned
 * @param action {@code install}, {@code configure} or {@code remove}
 * @param entry the package to install; null for the other actions
 * @param config the configuration sent (install and configure); empty for remove
 * @param downgrade an install of an older version than the extender runs (it must be allowed explicitly)
 */
record RolloutStep(String moduleId, String action, ModuleEntry entry, Map<String, String> config, boolean downgrade) {
    static final String INSTALL = "install";
    static final String CONFIGURE = "configure";
    static final String REMOVE = "remove";

    RolloutStep {
        config = Map.copyOf(config);
    }

    static RolloutStep install(ModuleEntry entry, Map<String, String> config, boolean downgrade) {
        return new RolloutStep(entry.id(), INSTALL, entry, config, downgrade);
    }

    static RolloutStep configure(String moduleId, Map<String, String> config) {
        return new RolloutStep(moduleId, CONFIGURE, null, config, false);
    }

    static RolloutStep remove(String moduleId) {
        return new RolloutStep(moduleId, REMOVE, null, Map.of(), false);
    }

    /** For logs: never the configuration, which may hold credentials. */
    @Override
    public String toString() {
        return action + " " + moduleId + (entry == null ? "" : " " + entry.version());
    }
}
