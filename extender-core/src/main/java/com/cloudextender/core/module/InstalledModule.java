package com.cloudextender.core.module;

import java.util.Map;

/**
 * What the extender remembers of one installed module, in the local store: which package (by file
 * name and SHA-256, so that a replaced file is noticed), whether it is enabled, its configuration from
 * the cloud (secret values sealed), and an upgrade waiting for the update window.
 *
 * @param config  the cloud's configuration; values of secret keys are sealed ({@code enc:v2:…})
 * @param pending an upgrade that waits for the update window, or {@code null}
 */
record InstalledModule(String id, String version, String packageFile, String sha256, boolean enabled,
        Map<String, String> config, long installedAt, Pending pending) {

    InstalledModule {
        config = Map.copyOf(config);
    }

    /** A downloaded and verified upgrade that waits for the update window. */
    record Pending(String version, String packageFile, String sha256, Map<String, String> config) {
        Pending {
            config = Map.copyOf(config);
        }
    }

    InstalledModule withEnabled(boolean on) {
        return new InstalledModule(id, version, packageFile, sha256, on, config, installedAt, pending);
    }

    InstalledModule withConfig(Map<String, String> sealed) {
        return new InstalledModule(id, version, packageFile, sha256, enabled, sealed, installedAt, pending);
    }

    InstalledModule withPending(Pending p) {
        return new InstalledModule(id, version, packageFile, sha256, enabled, config, installedAt, p);
    }
}
