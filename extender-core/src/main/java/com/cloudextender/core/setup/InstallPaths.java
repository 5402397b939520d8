package com.cloudextender.core.setup;

import java.nio.file.Path;

/** Resolves paths written in the configuration as the extender does: relative to the installation folder. */
final class InstallPaths {
    private InstallPaths() {
    }

    /** {@code path} as is when absolute, else relative to the parent of the configuration's folder. */
    static Path resolve(Path configFile, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path confDir = configFile.toAbsolutePath().getParent();
        Path base = confDir.getParent() == null ? confDir : confDir.getParent();
        return base.resolve(p).normalize();
    }
}
