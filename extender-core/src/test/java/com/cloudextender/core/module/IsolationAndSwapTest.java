package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.api.CommandResult;

class IsolationAndSwapTest {
    @TempDir
    Path dir;

    /** A library jar with class com.acme.text.Greeter whose greet() answers {@code word}. */
    private Path library(String version, String word) throws Exception {
        Path d = Files.createDirectories(dir.resolve("lib-" + version));
        return ModuleJars.compile(d.resolve("acme-text-" + version + ".jar"), Map.of("com.acme.text.Greeter", """
                package com.acme.text;
                public class Greeter { public static String greet() { return "%s"; } }
                """.formatted(word)), List.of());
    }

    private static String moduleUsingLibrary() {
        return ModuleJars.module("PKG", "x", "", "", """
                m.put("greet", cmd -> CommandResult.ok("{\\"greeting\\":\\"" + com.acme.text.Greeter.greet() + "\\"}"));
                m.put("peek", cmd -> {
                    String seen;
                    try {
                        Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
                        seen = "visible";
                    } catch (ClassNotFoundException e) {
                        seen = "hidden";
                    }
                    return CommandResult.ok("{\\"hostJackson\\":\\"" + seen + "\\"}");
                });
                """);
    }

    @Test
    void twoModulesBundlingDifferentVersionsOfOneLibraryBothWork() throws Exception {
        Path v1 = library("1.0", "hello from 1.0");
        Path v2 = library("2.0", "hello from 2.0");
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.pkg("alpha", "1.0.0", moduleUsingLibrary(), "hello,greet,peek", "", Map.of(), List.of(v1)));
            host.install(host.pkg("beta", "1.0.0", moduleUsingLibrary(), "hello,greet,peek", "", Map.of(), List.of(v2)));
            assertEquals("{\"greeting\":\"hello from 1.0\"}", host.run("alpha", "greet", "{}").payload());
            assertEquals("{\"greeting\":\"hello from 2.0\"}", host.run("beta", "greet", "{}").payload());
            // The host's own libraries are not visible to modules; only the SPI, the JDK and SLF4J are shared.
            assertEquals("{\"hostJackson\":\"hidden\"}", host.run("alpha", "peek", "{}").payload());
        }
    }

    @Test
    void commandsInFlightFinishOnTheOldVersionWhileNewOnesGoToTheNewVersion() throws Exception {
        String slow = ModuleJars.module("PKG", "v1", "", "", """
                m.put("slow", cmd -> { Thread.sleep(1500); return CommandResult.ok("{\\"ranOn\\":\\"v1\\"}"); });
                """);
        String fast = ModuleJars.module("PKG", "v2", "", "", """
                m.put("slow", cmd -> CommandResult.ok("{\\"ranOn\\":\\"v2\\"}"));
                """);
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.pkg("svc", "1.0.0", slow, "hello,slow", "", Map.of(), List.of()));
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<CommandResult> inFlight = CompletableFuture.supplyAsync(() -> {
                started.countDown();
                try {
                    return host.run("svc", "slow", "{}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            started.await();
            Thread.sleep(200); // the command is now running on v1
            Path next = host.pkg("svc", "2.0.0", fast, "hello,slow", "", Map.of(), List.of());
            CompletableFuture<ModuleManager.Change> swap = CompletableFuture.supplyAsync(() -> {
                try {
                    return host.install(next);
                } catch (ModuleFailure e) {
                    throw new IllegalStateException(e);
                }
            });
            // While v1 drains, new commands already run on v2.
            long until = System.currentTimeMillis() + 5000;
            String seen = "";
            while (System.currentTimeMillis() < until && !seen.contains("v2")) {
                seen = host.run("svc", "slow", "{}").payload();
            }
            assertEquals("{\"ranOn\":\"v2\"}", seen);
            assertEquals("{\"ranOn\":\"v1\"}", inFlight.get().payload(), "the command in flight finished on v1");
            assertEquals("active", swap.get().state());
        }
    }

    @Test
    void hundredSwapsReleaseTheOldClassLoaders() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("churn", "1.0.0", "v0"));
            Path[] packages = new Path[2];
            // Each lets the extender go back to 1.0.0 (downgrade.minVersion), so alternating is allowed.
            packages[0] = host.signedBy(ModuleHost.PUBLISHER, "churn", "1.0.1", "a", "downgrade.minVersion=1.0.0\n");
            packages[1] = host.signedBy(ModuleHost.PUBLISHER, "churn", "1.0.2", "b", "downgrade.minVersion=1.0.0\n");
            gc();
            long metaspaceBefore = metaspaceUsed();
            List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                // Alternate between two versions; going back needs allowDowngrade.
                host.manager.install(packages[i % 2], null, new ModuleManager.InstallOptions(null, true, true));
                loaders.add(new WeakReference<>(host.manager.activeLoader("churn").orElseThrow()));
                assertEquals(i % 2 == 0 ? "{\"version\":\"a\"}" : "{\"version\":\"b\"}", host.hello("churn"));
            }
            gc();
            long alive = loaders.stream().filter(r -> r.get() != null).count();
            long growth = metaspaceUsed() - metaspaceBefore;
            // Only the version serving now must stay reachable.
            assertTrue(alive <= 2, alive + " of 100 old class loaders are still reachable");
            assertTrue(growth < 16L << 20, "Metaspace grew by " + growth / 1024 + " KiB over 100 swaps");
        }
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 6; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    private static long metaspaceUsed() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                return pool.getUsage().getUsed();
            }
        }
        return 0;
    }
}
