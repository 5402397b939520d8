package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.module.pack.ModuleVersion;
import com.cloudextender.core.module.pack.TestPublisher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The module manager's side of issue 10, items 1, 7 and 18: the development publisher setting, the deny
 * list and the recorded verification time across restarts, and the version floor of downgrades.
 */
class ModuleTrustTest {
    private static final ModuleManager.InstallOptions DOWNGRADE = new ModuleManager.InstallOptions(null, true, true);

    @TempDir
    Path dir;

    private ExtenderConfig.Modules settings() {
        return ModuleHost.settings(dir, Optional.empty(), Optional.empty());
    }

    private static ExtenderConfig.Modules with(ExtenderConfig.Modules s, boolean dev, Set<String> denied,
            Map<String, ModuleVersion> minimum) {
        return new ExtenderConfig.Modules(s.publishers(), s.overrides(), s.updateWindow(), s.deferUntil(),
                s.startTimeout(), s.stopTimeout(), s.drainTimeout(), s.maxPackageBytes(), dev, denied, minimum);
    }

    @Test
    void developmentPublisherIsRefusedByDefaultAndLoadedWithTheSettingWhichWarnsAtEveryStart() throws Exception {
        TestPublisher dev = TestPublisher.development();
        ExtenderConfig.Modules off = settings();
        Files.copy(TestPublisher.repository().resolve("modules/dev-signing/dev-publisher.pem"), off.publishers().resolve("renamed.pem"));
        ListAppender<ILoggingEvent> log = capture();
        try {
            try (ModuleHost host = new ModuleHost(dir, off, "0.5.0")) {
                Path pkg = host.signedBy(dev, "devmod", "1.0.0", "d", "");
                ModuleFailure e = assertThrows(ModuleFailure.class, () -> host.install(pkg));
                assertTrue(e.getMessage().contains("signed with the development publisher key"), e.getMessage());
                assertTrue(warnings(log).stream().anyMatch(w -> w.contains("include the development publisher")
                        && w.contains("refused")), warnings(log).toString());
                // The refusal is logged with its reason (which names the setting); the setting is not announced as on.
                assertTrue(warnings(log).stream().anyMatch(w -> w.startsWith("Module (module not known) (version not "
                        + "verified): install refused: ") && w.contains("development publisher")), warnings(log).toString());
                assertTrue(warnings(log).stream().noneMatch(w -> w.startsWith("modules.allowDevelopmentPublisher=true")));
            }
            for (int start = 1; start <= 2; start++) {
                log.list.clear();
                try (ModuleHost host = new ModuleHost(dir, off.withDevelopmentPublisher(true), "0.5.0")) {
                    host.manager.startInstalled();
                    if (start == 1) {
                        host.install(host.signedBy(dev, "devmod", "1.0.0", "d", ""));
                    }
                    assertEquals("{\"version\":\"d\"}", host.hello("devmod"));
                }
                assertTrue(warnings(log).stream().anyMatch(w -> w.startsWith("modules.allowDevelopmentPublisher=true")
                        && w.contains("DEVELOPMENT publisher key")), "start " + start + ": " + warnings(log));
            }
            // Turned off again: the module installed with it no longer starts.
            try (ModuleHost host = new ModuleHost(dir, off, "0.5.0")) {
                host.manager.startInstalled();
                assertTrue(host.registry.module("devmod").isEmpty());
                assertTrue(String.valueOf(host.manager.report().get(0).get("lastError"))
                        .contains("development publisher"));
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(ModuleManager.class)).detachAppender(log);
        }
    }

    @Test
    void aSignerThatExpiresAfterInstallKeepsLoadingButIsRefusedForAFirstInstall() throws Exception {
        Instant now = Instant.now();
        TestPublisher lapsed = TestPublisher.create("Lapsed Publisher", now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        ExtenderConfig.Modules s = settings();
        lapsed.pemFile(s.publishers());
        Clock lastWeek = Clock.fixed(now.minus(Duration.ofDays(7)), ZoneOffset.UTC);
        try (ModuleHost host = new ModuleHost(dir, s, "0.5.0", lastWeek)) {
            host.install(host.signedBy(lapsed, "kept", "1.0.0", "k", ""));
        }
        try (ModuleHost host = new ModuleHost(dir, s, "0.5.0")) {
            host.manager.startInstalled();
            assertEquals("{\"version\":\"k\"}", host.hello("kept"), "verified as of its install, when the signer was valid");
            host.manager.disable("kept");
            host.manager.enable("kept");
            assertEquals("{\"version\":\"k\"}", host.hello("kept"));
            ModuleFailure e = assertThrows(ModuleFailure.class,
                    () -> host.install(host.signedBy(lapsed, "late", "1.0.0", "l", "")));
            assertTrue(e.getMessage().contains("signer certificate CN=Lapsed Publisher expired on"), e.getMessage());
        }
    }

    @Test
    void aPublisherDeniedAfterInstallStopsItsModulesAtTheNextStart() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("victim", "1.0.0", "v"));
        }
        String key = com.cloudextender.core.module.pack.PublisherTrust.fingerprint(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(ModuleHost.PUBLISHER.certificate().getEncoded())));
        try (ModuleHost host = new ModuleHost(dir, with(settings(), false, Set.of(key), Map.of()), "0.5.0")) {
            host.manager.startInstalled();
            assertTrue(host.registry.module("victim").isEmpty());
            assertTrue(String.valueOf(host.manager.report().get(0).get("lastError")).contains("is on the deny list"));
        }
    }

    @Test
    void aDowngradeBelowTheFloorIsRefusedEvenWithAllowDowngrade() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("svc", "1.0.0", "v1"));
            host.install(host.signedBy(ModuleHost.PUBLISHER, "svc", "3.0.0", "v3", "downgrade.minVersion=2.0.0\n"));
            ModuleFailure e = assertThrows(ModuleFailure.class,
                    () -> host.manager.install(host.simple("svc", "1.0.0", "v1"), null, DOWNGRADE));
            assertEquals("downgrade of module svc to 1.0.0 refused even with allowDowngrade: the oldest version allowed is "
                    + "2.0.0 (downgrade.minVersion of svc 3.0.0, the newest version installed so far); an administrator "
                    + "may set modules.svc.minimumVersion to allow an older one", e.getMessage());
            assertEquals("{\"version\":\"v3\"}", host.hello("svc"), "the installed version keeps serving");
            // At the floor: allowed, and the floor stays where 3.0.0 put it.
            Path v2 = host.simple("svc", "2.0.0", "v2");
            host.manager.install(v2, null, DOWNGRADE);
            assertEquals("{\"version\":\"v2\"}", host.hello("svc"));
            // The version installed now may be sent again (for example with a new configuration) without allowDowngrade.
            assertTrue(host.install(v2).message().contains("already installed"));
            // Removing the module does not lower the floor.
            host.manager.remove("svc");
            e = assertThrows(ModuleFailure.class, () -> host.manager.install(host.simple("svc", "1.0.0", "v1"), null,
                    DOWNGRADE));
            assertTrue(e.getMessage().contains("the oldest version allowed is 2.0.0"), e.getMessage());
            e = assertThrows(ModuleFailure.class, () -> host.install(host.simple("svc", "2.5.0", "v25")));
            assertTrue(e.getMessage().contains("svc 3.0.0 was installed on this extender, newer than 2.5.0; send "
                    + "allowDowngrade"), e.getMessage());
        }
    }

    @Test
    void withoutADeclaredFloorAllowDowngradeCannotGoBelowTheNewestVersion() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("svc", "1.0.0", "v1"));
            host.install(host.simple("svc", "1.1.0", "v11"));
            ModuleFailure e = assertThrows(ModuleFailure.class,
                    () -> host.manager.install(host.simple("svc", "1.0.1", "v101"), null, DOWNGRADE));
            assertTrue(e.getMessage().contains("the oldest version allowed is 1.1.0 (svc 1.1.0, the newest version "
                    + "installed so far, allows no downgrade (its package declares no downgrade.minVersion))"),
                    e.getMessage());
        }
    }

    @Test
    void theAdministratorsMinimumVersionIsTheFloorForEveryInstall() throws Exception {
        try (ModuleHost host = new ModuleHost(dir)) {
            host.install(host.simple("svc", "1.0.0", "v1"));
            host.install(host.simple("svc", "1.2.0", "v12"));
        }
        var s = with(settings(), false, Set.of(), Map.of("svc", ModuleVersion.parse("1.1.0"),
                "fresh", ModuleVersion.parse("2.0.0")));
        try (ModuleHost host = new ModuleHost(dir, s, "0.5.0")) {
            host.manager.startInstalled();
            host.manager.install(host.simple("svc", "1.1.0", "v11"), null, DOWNGRADE);
            assertEquals("{\"version\":\"v11\"}", host.hello("svc"), "the administrator allowed going back to 1.1.0");
            ModuleFailure e = assertThrows(ModuleFailure.class,
                    () -> host.manager.install(host.simple("svc", "1.0.0", "v1"), null, DOWNGRADE));
            assertEquals("module svc 1.0.0 is older than modules.svc.minimumVersion=1.1.0 in the extender's "
                    + "configuration; refused", e.getMessage());
            // A first install below the configured minimum is refused too.
            e = assertThrows(ModuleFailure.class, () -> host.install(host.simple("fresh", "1.0.0", "f")));
            assertTrue(e.getMessage().contains("older than modules.fresh.minimumVersion=2.0.0"), e.getMessage());
        }
    }

    @Test
    void aRecordWrittenBeforeVerificationTimesWereKeptUsesItsInstallTime() throws Exception {
        try (com.cloudextender.core.store.LocalStore store = com.cloudextender.core.store.LocalStore.open(dir.resolve("d"))) {
            store.<String, String>map("modules").put("old", "{\"id\":\"old\",\"version\":\"1.0.0\",\"packageFile\":"
                    + "\"old-1.0.0.cxm\",\"sha256\":\"00\",\"enabled\":true,\"config\":{},\"installedAt\":1700000000000,"
                    + "\"pending\":null}");
            InstalledModule rec = new ModuleRegistryStore(store).all((id, why) -> {
                throw new AssertionError(why);
            }).get(0);
            assertEquals(0, rec.verifiedAt());
            assertEquals(Instant.ofEpochMilli(1700000000000L), rec.verificationTime());
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ModuleManager.class);
        logger.addAppender(appender);
        return appender;
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
