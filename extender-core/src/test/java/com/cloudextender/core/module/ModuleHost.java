package com.cloudextender.core.module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.core.command.ActionRegistry;
import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.module.pack.ModuleVersion;
import com.cloudextender.core.module.pack.TestPublisher;
import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.store.LocalStore;

/**
 * A module manager on a temporary data folder, as the extender wires it, with a test publisher and
 * helpers to build signed fixture packages and run actions. Close it to stop everything.
 */
final class ModuleHost implements AutoCloseable {
    static final TestPublisher PUBLISHER = TestPublisher.create("Test Publisher");

    final Path dir;
    final ActionRegistry registry = new ActionRegistry();
    final AtomicInteger changes = new AtomicInteger();
    final LocalStore store;
    final ModuleManager manager;
    private final AtomicInteger seq = new AtomicInteger();

    ModuleHost(Path dir) {
        this(dir, settings(dir, Optional.empty(), Optional.empty()), "0.5.0");
    }

    ModuleHost(Path dir, ExtenderConfig.Modules settings, String coreVersion) {
        this(dir, settings, coreVersion, Clock.systemUTC());
    }

    ModuleHost(Path dir, ExtenderConfig.Modules settings, String coreVersion, Clock clock) {
        this.dir = dir;
        this.store = LocalStore.open(dir.resolve("data"));
        MachineKey key = MachineKey.open(dir.resolve("data"), "test-machine");
        this.manager = new ModuleManager(settings, ModuleVersion.parse(coreVersion), registry,
                new ModuleManager.Services(store, new SecretBox(key), (file, name, type) -> new UploadReceipt(
                        "https://cloud.test/" + name, "0".repeat(64), Files.size(file)),
                        (host, port) -> Optional.empty(), dir.resolve("data")),
                clock, changes::incrementAndGet);
    }

    static ExtenderConfig.Modules settings(Path dir, Optional<ExtenderConfig.UpdateWindow> window,
            Optional<java.time.LocalDate> defer) {
        try {
            Path publishers = dir.resolve("publishers");
            Files.createDirectories(publishers);
            PUBLISHER.pemFile(publishers);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ExtenderConfig.Modules(dir.resolve("publishers"), dir.resolve("overrides"), window, defer,
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5), 64L << 20);
    }

    /** Builds and signs a package whose main class is {@code pkg.Main}, from {@code ModuleJars.module(...)}. */
    Path pkg(String id, String version, String mainSource, String actions, String descriptorExtra,
            Map<String, String> moreSources, List<Path> libJars) {
        return pkg(PUBLISHER, id, version, mainSource, actions, descriptorExtra, moreSources, libJars);
    }

    /** A package of a module with one action, {@code hello}, answering {@code marker}, signed by {@code signer}. */
    Path signedBy(TestPublisher signer, String id, String version, String marker, String descriptorExtra) {
        return pkg(signer, id, version, ModuleJars.module("PKG", marker, "", "", ""), "hello", descriptorExtra, Map.of(),
                List.of());
    }

    private Path pkg(TestPublisher signer, String id, String version, String mainSource, String actions,
            String descriptorExtra, Map<String, String> moreSources, List<Path> libJars) {
        int n = seq.incrementAndGet();
        try {
            Path work = Files.createDirectories(dir.resolve("build/" + id + "-" + version + "-" + n));
            String pkgName = "fixture." + id.replace('-', '_') + ".v" + n;
            Map<String, String> sources = new java.util.HashMap<>(moreSources);
            sources.put(pkgName + ".Main", mainSource.replace("package PKG;", "package " + pkgName + ";"));
            Path jar = ModuleJars.compile(work.resolve(id + ".jar"), sources, libJars);
            List<Path> jars = new java.util.ArrayList<>(libJars);
            jars.add(0, jar);
            return signer.sign(work.resolve(id + "-" + version + ".cxm"),
                    ModuleJars.descriptor(id, version, pkgName + ".Main", actions, descriptorExtra), jars);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A package of a module with one action, {@code hello}, answering {@code marker}. */
    Path simple(String id, String version, String marker) {
        return pkg(id, version, ModuleJars.module("PKG", marker, "", "", ""), "hello", "", Map.of(), List.of());
    }

    ModuleManager.Change install(Path pkg) throws ModuleFailure {
        return manager.install(pkg, null, ModuleManager.InstallOptions.DEFAULT);
    }

    CommandResult run(String module, String action, String args) throws Exception {
        var m = registry.module(module).orElseThrow(() -> new AssertionError("module " + module + " not registered"));
        var h = m.actions().get(action);
        if (h == null) {
            throw new AssertionError("no action " + action);
        }
        return h.execute(new Command("c-" + seq.incrementAndGet(), module, action, args, Duration.ofSeconds(30)));
    }

    String hello(String module) throws Exception {
        return run(module, "hello", "{}").payload();
    }

    @Override
    public void close() {
        manager.close();
        store.close();
    }
}
