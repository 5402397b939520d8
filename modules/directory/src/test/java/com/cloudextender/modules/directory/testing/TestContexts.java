package com.cloudextender.modules.directory.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.testkit.FakeModuleContext;

/** Contexts for the directory module's tests, from a flat configuration and its secret keys. */
public final class TestContexts {
    private TestContexts() {
    }

    public static FakeModuleContext create(Map<String, String> config, Set<String> secrets, Path dir) {
        return new FakeModuleContext("directory", new ModuleConfig(config, secrets), dir);
    }
}
