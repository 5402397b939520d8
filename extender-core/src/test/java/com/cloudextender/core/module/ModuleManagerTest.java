package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;

class ModuleManagerTest {
    @TempDir
    Path dir;

    @Test
    void installsStartsAndRoutesCommandsToTheModule() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            ModuleManager.Change c = host.install(host.simple("greeter", "1.0.0", "one"));
            assertEquals("active", c.state());
            assertEquals("{\"version\":\"one\"}", host.hello("greeter"));
            Map<String, Object> report = host.manager.report().get(0);
            assertEquals("greeter", report.get("id"));
            assertEquals("1.0.0", report.get("version"));
            assertEquals("active", report.get("state"));
            assertTrue(host.changes.get() > 0, "a change triggers a report to the cloud");
        }
    }

    @Test
    void installedModulesSurviveARestartWithTheirState() throws Exception {
        String main = ModuleJars.module("PKG", "x", "", "", """
                m.put("count", cmd -> {
                    long n = context.state().get("n").map(b -> Long.parseLong(new String(b))).orElse(0L) + 1;
                    context.state().put("n", Long.toString(n).getBytes());
                    return CommandResult.ok("{\\"n\\":" + n + "}");
                });
                """);
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.pkg("counter", "1.0.0", main, "hello,count", "", Map.of(), List.of()));
            host.run("counter", "count", "{}");
            assertEquals("{\"n\":2}", host.run("counter", "count", "{}").payload());
        }
        try (ModuleHost host = new ModuleHost(dir)) {
            assertTrue(host.registry.module("counter").isEmpty(), "nothing runs before startInstalled");
            host.manager.startInstalled();
            assertEquals("{\"n\":3}", host.run("counter", "count", "{}").payload());
        }
    }

    @Test
    void aTamperedPackageOnDiskIsRefusedAtStartAndTheOthersStillStart() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("good", "1.0.0", "g"));
            host.install(host.simple("victim", "1.0.0", "v"));
        }
        Path stored = dir.resolve("data/modules/packages/victim-1.0.0.cxm");
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        try (ModuleHost host = new ModuleHost(dir)) {
            host.manager.startInstalled();
            assertEquals("{\"version\":\"g\"}", host.hello("good"));
            assertTrue(host.registry.module("victim").isEmpty());
            Map<String, Object> victim = host.manager.report().stream().filter(m -> m.get("id").equals("victim"))
                    .findFirst().orElseThrow();
            assertEquals("failed", victim.get("state"));
            assertTrue(victim.get("lastError").toString().contains("refused"), victim.toString());
        }
    }

    @Test
    void aReplacedButValidlySignedPackageIsRefusedAtStart() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("swapped", "1.0.0", "original"));
            Path other = host.simple("swapped", "1.0.0", "impostor");
            Files.copy(other, dir.resolve("data/modules/packages/swapped-1.0.0.cxm"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (ModuleHost host = new ModuleHost(dir)) {
            host.manager.startInstalled();
            assertTrue(host.registry.module("swapped").isEmpty());
            assertTrue(host.manager.report().get(0).get("lastError").toString().contains("SHA-256 changed"));
        }
    }

    @Test
    void aModuleThatThrowsInStartIsNotActivatedAndThePreviousVersionKeepsServing() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("svc", "1.0.0", "v1"));
            Path bad = host.pkg("svc", "1.1.0", ModuleJars.module("PKG", "v2",
                    "throw new IllegalStateException(\"cannot reach the directory at ldap://dc1\");", "", ""),
                    "hello", "", Map.of(), List.of());
            ModuleFailure e = assertThrows(ModuleFailure.class, () -> host.install(bad));
            assertTrue(e.getMessage().contains("cannot reach the directory at ldap://dc1"), e.getMessage());
            assertTrue(e.getMessage().contains("version 1.0.0 keeps serving"), e.getMessage());
            assertEquals("{\"version\":\"v1\"}", host.hello("svc"));
            assertEquals("1.0.0", host.manager.report().get(0).get("version"));
            assertTrue(host.manager.report().get(0).get("lastError").toString().contains("1.1.0 was not activated"));
        }
    }

    @Test
    void aFailingSelfCheckRollsBack() throws Exception {
        String main = """
                package PKG;
                import java.util.*;
                import com.cloudextender.api.*;
                public class Main implements ExtenderModule, SelfChecking {
                    public void start(ModuleContext c) {}
                    public Map<String, ActionHandler> actions() { return Map.of("hello", c -> CommandResult.ok("{}")); }
                    public void selfCheck() throws Exception { throw new Exception("self-check: no answer from the CA"); }
                }
                """;
        try (ModuleHost host = new ModuleHost(dir)) {
            ModuleFailure e = assertThrows(ModuleFailure.class,
                    () -> host.install(host.pkg("checked", "1.0.0", main, "hello", "", Map.of(), List.of())));
            assertTrue(e.getMessage().contains("no answer from the CA"), e.getMessage());
            assertTrue(host.registry.module("checked").isEmpty());
            assertTrue(host.manager.report().isEmpty(), "a first install that failed leaves nothing installed");
            assertFalse(Files.exists(dir.resolve("data/modules/packages/checked-1.0.0.cxm")));
        }
    }

    @Test
    void aConstructorThatThrowsAMissingMainClassAndUndeclaredActionsAreRefused() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            String throwing = """
                    package PKG;
                    import java.util.*;
                    import com.cloudextender.api.*;
                    public class Main implements ExtenderModule {
                        public Main() { throw new RuntimeException("boom in constructor"); }
                        public void start(ModuleContext c) {}
                        public Map<String, ActionHandler> actions() { return Map.of(); }
                    }
                    """;
            assertTrue(assertThrows(ModuleFailure.class, () -> host.install(host.pkg("ctor", "1.0.0", throwing, "hello", "",
                    Map.of(), List.of()))).getMessage().contains("boom in constructor"));

            Path noMain = host.pkg("nomain", "1.0.0", ModuleJars.module("PKG", "x", "", "", ""), "hello",
                    "", Map.of(), List.of());
            // Same package, but the descriptor names a class that is not there.
            Path renamed = ModuleHost.PUBLISHER.sign(dir.resolve("nomain2.cxm"),
                    ModuleJars.descriptor("nomain", "1.0.0", "fixture.missing.Main", "hello", ""),
                    List.of(jarOf(noMain)));
            assertTrue(assertThrows(ModuleFailure.class, () -> host.install(renamed)).getMessage()
                    .contains("is not in its jars"));

            Path extra = host.pkg("extra", "1.0.0", ModuleJars.module("PKG", "x", "", "", ""), "hello,goodbye", "",
                    Map.of(), List.of());
            assertTrue(assertThrows(ModuleFailure.class, () -> host.install(extra)).getMessage()
                    .contains("descriptor declares [goodbye, hello]"));
            assertTrue(host.manager.report().isEmpty());
        }
    }

    /** The module jar inside a package that {@link ModuleHost#pkg} built (it sits beside the package). */
    private static Path jarOf(Path pkg) {
        String name = pkg.getFileName().toString();
        return pkg.resolveSibling(name.substring(0, name.indexOf('-')) + ".jar");
    }

    @Test
    void aModuleThatHangsInStartIsAbandonedWithinTheLimit() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            Path hang = host.pkg("hang", "1.0.0", ModuleJars.module("PKG", "x", "Thread.sleep(60_000);", "", ""),
                    "hello", "", Map.of(), List.of());
            long t0 = System.nanoTime();
            ModuleFailure e = assertThrows(ModuleFailure.class, () -> host.install(hang));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains("did not finish within 5 s"), e.getMessage());
            assertTrue(ms < 15_000, "took " + ms + " ms");
        }
    }

    @Test
    void aModuleThatHangsInStopDoesNotBlockTheUpgrade() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.pkg("sticky", "1.0.0", ModuleJars.module("PKG", "v1", "",
                    "while (true) { try { Thread.sleep(60_000); } catch (InterruptedException e) { } }", ""),
                    "hello", "", Map.of(), List.of()));
            long t0 = System.nanoTime();
            host.install(host.simple("sticky", "2.0.0", "v2"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("{\"version\":\"v2\"}", host.hello("sticky"));
            assertTrue(ms < 10_000, "the upgrade waited " + ms + " ms for a hanging stop");
        }
    }

    @Test
    void anIncompatibleCoreVersionIsRefused() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            Path pkg = host.pkg("future", "1.0.0", ModuleJars.module("PKG", "x", "", "", ""), "hello", "", Map.of(),
                    List.of());
            Path needsNew = ModuleHost.PUBLISHER.sign(dir.resolve("future-new.cxm"), ModuleJars.descriptor("future",
                    "1.0.0", "x.Main", "hello", "").replace("core.minVersion=0.1.0", "core.minVersion=9.0.0"),
                    List.of(jarOf(pkg)));
            ModuleFailure e = assertThrows(ModuleFailure.class, () -> host.install(needsNew));
            assertTrue(e.getMessage().contains("needs extender core 9.0.0 or newer; this extender is 0.5.0"),
                    e.getMessage());
        }
    }

    @Test
    void reservedIdsOlderVersionsAndChangedPackagesWithTheSameVersionAreRefused() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            // 2.0.0 lets an extender go back to 1.0.0 (downgrade.minVersion), with allowDowngrade only.
            Path v2 = host.pkg("svc", "2.0.0", ModuleJars.module("PKG", "v2", "", "", ""), "hello",
                    "downgrade.minVersion=1.0.0\n", Map.of(), List.of());
            host.install(v2);
            assertTrue(assertThrows(ModuleFailure.class, () -> host.install(host.simple("svc", "1.0.0", "v1")))
                    .getMessage().contains("allowDowngrade"));
            assertTrue(assertThrows(ModuleFailure.class, () -> host.install(host.simple("svc", "2.0.0", "other")))
                    .getMessage().contains("a published version never changes"));
            assertTrue(host.install(v2).message().contains("already installed"));
            host.manager.install(host.simple("svc", "1.0.0", "v1"), null,
                    new ModuleManager.InstallOptions(null, false, true));
            assertEquals("{\"version\":\"v1\"}", host.hello("svc"));
        }
    }

    @Test
    void unsignedOrForeignPackagesAreRefusedBeforeAnyClassLoads() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            Path good = host.simple("signed", "1.0.0", "x");
            var stranger = com.cloudextender.core.module.pack.TestPublisher.create("Somebody Else");
            Path foreign = stranger.sign(dir.resolve("foreign.cxm"), ModuleJars.descriptor("signed", "1.0.0",
                    "x.Main", "hello", ""), List.of(jarOf(good)));
            ModuleFailure e = assertThrows(ModuleFailure.class, () -> host.install(foreign));
            assertTrue(e.getMessage().contains("unknown publisher"), e.getMessage());
            assertTrue(host.manager.report().isEmpty());
        }
    }

    @Test
    void configurationIsValidatedSecretsAreSealedAtRestAndOverridesWin() throws Exception {
        String main = ModuleJars.module("PKG", "x", "", "", """
                m.put("show", cmd -> CommandResult.ok("{\\"greeting\\":\\"" + context.config().require("greeting")
                        + "\\",\\"secretSet\\":" + context.config().get("apiKey").isPresent() + ",\\"secretLen\\":"
                        + context.config().get("apiKey").map(String::length).orElse(0) + "}"));
                """);
        String decl = "config.greeting.type=string\nconfig.greeting.default=hello\nconfig.apiKey.type=string\n"
                + "config.apiKey.secret=true\nconfig.retries.type=int\n";
        try (ModuleHost host = new ModuleHost(dir)) {
            Path pkg = host.pkg("cfg", "1.0.0", main, "hello,show", decl, Map.of(), List.of());
            ModuleFailure bad = assertThrows(ModuleFailure.class,
                    () -> host.manager.install(pkg, Map.of("retries", "many"), ModuleManager.InstallOptions.DEFAULT));
            assertTrue(bad.getMessage().contains("retries"), bad.getMessage());
            ModuleFailure unknown = assertThrows(ModuleFailure.class,
                    () -> host.manager.install(pkg, Map.of("colour", "red"), ModuleManager.InstallOptions.DEFAULT));
            assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());

            host.manager.install(pkg, Map.of("apiKey", "Sup3rS3cretValue"), ModuleManager.InstallOptions.DEFAULT);
            assertEquals("{\"greeting\":\"hello\",\"secretSet\":true,\"secretLen\":16}", host.run("cfg", "show", "{}").payload());

            host.manager.configure("cfg", Map.of("apiKey", "Sup3rS3cretValue", "greeting", "bonjour"));
            assertEquals("{\"greeting\":\"bonjour\",\"secretSet\":true,\"secretLen\":16}",
                    host.run("cfg", "show", "{}").payload());

            Files.createDirectories(dir.resolve("overrides"));
            Files.writeString(dir.resolve("overrides/cfg.properties"), "greeting=local\napiKey=L0calS3cret\n");
            host.manager.configure("cfg", Map.of("apiKey", "Sup3rS3cretValue", "greeting", "bonjour"));
            assertEquals("{\"greeting\":\"local\",\"secretSet\":true,\"secretLen\":11}",
                    host.run("cfg", "show", "{}").payload());
            String overrides = Files.readString(dir.resolve("overrides/cfg.properties"));
            assertFalse(overrides.contains("L0calS3cret"), "the override's secret is sealed in place: " + overrides);
            assertTrue(overrides.contains("greeting=local"));
        }
        // Nothing in the data folder holds the secret in clear.
        try (var files = Files.walk(dir.resolve("data"))) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("Sup3rS3cretValue"), "secret in clear in " + p);
            }
        }
    }

    @Test
    void aReconfigurableModuleTakesANewConfigurationInPlaceOrAsksForARestart() throws Exception {
        String main = """
                package PKG;
                import java.util.*;
                import com.cloudextender.api.*;
                public class Main implements ExtenderModule, Reconfigurable {
                    private volatile String greeting;
                    private int started;
                    public void start(ModuleContext c) throws Exception {
                        greeting = c.config().require("greeting");
                        started = c.state().get("starts").map(b -> Integer.parseInt(new String(b))).orElse(0) + 1;
                        c.state().put("starts", Integer.toString(started).getBytes());
                    }
                    public boolean reconfigure(ModuleConfig c) throws Exception {
                        String g = c.require("greeting");
                        if (g.equals("refuse")) { throw new IllegalArgumentException("greeting: 'refuse' is not accepted"); }
                        if (g.startsWith("restart")) { return false; }
                        greeting = g;
                        return true;
                    }
                    public Map<String, ActionHandler> actions() {
                        return Map.of("hello", c -> CommandResult.ok("{\\"greeting\\":\\"" + greeting + "\\",\\"start\\":" + started + "}"));
                    }
                }
                """;
        String decl = "config.greeting.type=string\n";
        try (ModuleHost host = new ModuleHost(dir)) {
            Path pkg = host.pkg("live", "1.0.0", main, "hello", decl, Map.of(), List.of());
            host.manager.install(pkg, Map.of("greeting", "hi"), ModuleManager.InstallOptions.DEFAULT);
            assertEquals("{\"greeting\":\"hi\",\"start\":1}", host.hello("live"));

            ModuleManager.Change c = host.manager.configure("live", Map.of("greeting", "bonjour"));
            assertTrue(c.message().contains("in place"), c.message());
            assertEquals("{\"greeting\":\"bonjour\",\"start\":1}", host.hello("live"), "same instance, not restarted");

            ModuleFailure refused = assertThrows(ModuleFailure.class,
                    () -> host.manager.configure("live", Map.of("greeting", "refuse")));
            assertTrue(refused.getMessage().contains("'refuse' is not accepted")
                    && refused.getMessage().contains("keeps running with the previous configuration"), refused.getMessage());
            assertEquals("{\"greeting\":\"bonjour\",\"start\":1}", host.hello("live"));

            host.manager.configure("live", Map.of("greeting", "restart-please"));
            assertEquals("{\"greeting\":\"restart-please\",\"start\":2}", host.hello("live"), "restarted with it");
            host.manager.configure("live", Map.of("greeting", "kept"));
            assertEquals("{\"greeting\":\"kept\",\"start\":2}", host.hello("live"));
        }
        // The configuration applied in place is the one kept: a restart starts with it.
        try (ModuleHost host = new ModuleHost(dir)) {
            host.manager.startInstalled();
            assertEquals("{\"greeting\":\"kept\",\"start\":3}", host.hello("live"));
        }
    }

    @Test
    void disableEnableAndRemove() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("tool", "1.0.0", "t"));
            host.manager.disable("tool");
            assertTrue(host.registry.module("tool").isEmpty());
            assertEquals("disabled", host.manager.report().get(0).get("state"));
            host.manager.enable("tool");
            assertEquals("{\"version\":\"t\"}", host.hello("tool"));
            host.manager.remove("tool");
            assertTrue(host.manager.report().isEmpty());
            assertFalse(Files.exists(dir.resolve("data/modules/packages/tool-1.0.0.cxm")));
            assertTrue(assertThrows(ModuleFailure.class, () -> host.manager.remove("tool")).getMessage()
                    .contains("no module 'tool' is installed"));
        }
    }

    @Test
    void upgradesWaitForTheUpdateWindowButNewModulesInstallAtOnce() throws Exception {
        java.time.LocalTime now = java.time.LocalTime.now();
        var closed = new com.cloudextender.core.config.ExtenderConfig.UpdateWindow(now.plusHours(2), now.plusHours(3));
        try (ModuleHost host = new ModuleHost(dir, ModuleHost.settings(dir, Optional.of(closed), Optional.empty()),
                "0.5.0")) {
            assertEquals("active", host.install(host.simple("win", "1.0.0", "v1")).state());
            ModuleManager.Change c = host.install(host.simple("win", "1.1.0", "v2"));
            assertEquals("scheduled", c.state());
            assertTrue(c.message().contains("update window"), c.message());
            assertEquals("{\"version\":\"v1\"}", host.hello("win"));
            assertEquals("1.1.0", host.manager.report().get(0).get("pendingVersion"));
            host.manager.applyDueUpgrades();
            assertEquals("{\"version\":\"v1\"}", host.hello("win"), "still outside the window");
            // The cloud may force it.
            host.manager.install(host.simple("win", "1.2.0", "v3"), null, new ModuleManager.InstallOptions(null, true, false));
            assertEquals("{\"version\":\"v3\"}", host.hello("win"));
        }
        // A window that is open now applies a pending upgrade at the next check.
        Path other = dir.resolve("second");
        Files.createDirectories(other);
        try (ModuleHost host = new ModuleHost(other, ModuleHost.settings(other, Optional.of(closed), Optional.empty()),
                "0.5.0")) {
            host.install(host.simple("win", "1.0.0", "v1"));
            host.install(host.simple("win", "1.1.0", "v2"));
        }
        var open = new com.cloudextender.core.config.ExtenderConfig.UpdateWindow(now.minusMinutes(30).withNano(0),
                now.plusMinutes(30).withNano(0));
        try (ModuleHost host = new ModuleHost(other, ModuleHost.settings(other, Optional.of(open), Optional.empty()),
                "0.5.0")) {
            host.manager.startInstalled();
            assertEquals("{\"version\":\"v2\"}", host.hello("win"));
            assertFalse(host.manager.report().get(0).containsKey("pendingVersion"));
        }
    }

    @Test
    void anErrorThrownByAnActionEndsOnlyThatCommand() throws Exception {
        String main = ModuleJars.module("PKG", "x", "", "", """
                m.put("overflow", cmd -> { throw new StackOverflowError("deep"); });
                """);
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.pkg("fragile", "1.0.0", main, "hello,overflow", "", Map.of(), List.of()));
            CommandException e = assertThrows(CommandException.class, () -> host.run("fragile", "overflow", "{}"));
            assertEquals(ErrorCode.MODULE_FAILURE, e.code());
            CommandResult ok = host.run("fragile", "hello", "{}");
            assertTrue(ok.isOk());
        }
    }

    @Test
    void withoutPublisherCertificatesTheExtenderRunsButRefusesEveryPackage() throws Exception {
        var settings = new com.cloudextender.core.config.ExtenderConfig.Modules(dir.resolve("no-publishers"),
                dir.resolve("overrides"), Optional.empty(), Optional.empty(), java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5), 64L << 20);
        try (ModuleHost signer = new ModuleHost(dir.resolve("signer"));
                ModuleHost host = new ModuleHost(dir, settings, "0.5.0")) {
            host.manager.startInstalled();
            Path pkg = signer.simple("any", "1.0.0", "x");
            ModuleFailure e = assertThrows(ModuleFailure.class, () -> host.install(pkg));
            assertTrue(e.getMessage().contains("modules.publishers"), e.getMessage());
        }
    }
}
