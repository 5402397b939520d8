package com.cloudextender.core.module;

import java.util.Map;

/**
 * What the extender remembers of one installed module, in the local store: which package (by file
 * name and SHA-256, so that a replaced file is noticed), whether it is enabled, its configuration from
 * the cloud (secret values sealed), and an upgrade waiting for the update window.
 *
 * @param config  the cloud's configuration; values of secret keys are sealed ({@code enc:v2:…})
 * @param pending an upgrade that waits for the update window, or {@code null}
 * @param verifiedAt when the package was first verified (epoch ms): its signer is re-checked as of then at
 *                every start, so modules keep loading after the signer expires; 0 in records written before
 *                it was kept, which then use {@code installedAt}
 */
record InstalledModule(String id, String version, String packageFile, String sha256, boolean enabled,
        Map<String, String> config, long installedAt, Pending pending, long verifiedAt) {

    InstalledModule {
        config = Map.copyOf(config);
    }

    /** A downloaded and verified upgrade that waits for the update window; {@code verifiedAt} as above. */
    record Pending(String version, String packageFile, String sha256, Map<String, String> config, long verifiedAt) {
        Pending {
            config = Map.copyOf(config);
        }
    }

    /** The time at which the package's signer must have been valid. */
    java.time.Instant verificationTime() {
        return java.time.Instant.ofEpochMilli(verifiedAt > 0 ? verifiedAt : installedAt);
    }

    InstalledModule withEnabled(boolean on) {
        return new InstalledModule(id, version, packageFile, sha256, on, config, installedAt, pending, verifiedAt);
    }

    InstalledModule withConfig(Map<String, String> sealed) {
        return new InstalledModule(id, version, packageFile, sha256, enabled, sealed, installedAt, pending, verifiedAt);
    }

    InstalledModule withPending(Pending p) {
        return new InstalledModule(id, version, packageFile, sha256, enabled, config, installedAt, p, verifiedAt);
    }
}
