package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;

/**
 * Modules managed from the cloud, end to end: the dev cloud's repository and feature push, the
 * download over HTTPS, signature checks, the module's commands through the channel, an upgrade
 * pushed by a new publish, a restart, and the removal when the feature is disabled.
 */
class ModulesEndToEndIT extends DevCloudTestBase {

    private static String health(Extender x) {
        return cloud.extender(x.extenderId()).map(v -> v.lastHealthJson() == null ? "" : v.lastHealthJson()).orElse("");
    }

    @Test
    void aFeatureEnabledInTheCloudInstallsRunsUpgradesSurvivesRestartAndIsRemoved() throws Exception {
        Path example = DevPackages.built("example");
        cloud.publishModule(example, "stable");
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "modules-co", "machine-m", false,
                Map.of("health.interval", "1h"));
        String builtVersion;
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            cloud.enableFeature("modules-co", "example", Map.of("greeting", "bonjour", "apiKey", "Ex4mpleK3y!"));
            await("the example module to be active", () -> x.modules().activeVersion("example").isPresent());
            builtVersion = x.modules().activeVersion("example").orElseThrow();

            CommandOutcome echo = send(x, "example", "echo", "{\"text\":\"round trip\"}");
            assertTrue(echo.isOk(), echo.toString());
            assertTrue(echo.payload().contains("round trip"), echo.payload());

            CommandOutcome config = send(x, "example", "config", "{}");
            assertTrue(config.payload().contains("bonjour"), config.payload());
            assertFalse(config.payload().contains("Ex4mpleK3y!"), "the secret never leaves: " + config.payload());

            // The health report tells the cloud which modules run (sent at once after a change).
            await("a health report listing the module", () -> health(x).contains("\"id\":\"example\"")
                    && health(x).contains("\"state\":\"active\""));

            // A newer stable version published in the cloud is pushed as an upgrade, and swapped in.
            Path v2 = DevPackages.withVersion(example, "9.1.0", home.resolve("example-9.1.0.cxm"));
            cloud.publishModule(v2, "stable");
            await("the upgrade to 9.1.0", () -> x.modules().activeVersion("example").orElse("").equals("9.1.0"));
            assertTrue(send(x, "example", "echo", "{\"text\":\"after upgrade\"}").isOk());

            // A package whose checksum is not the announced one is refused, and 9.1.0 keeps serving.
            CommandOutcome wrongSum = send(x, "modules", "install", "{\"url\":\"" + cloud.apiUrl() + "/modules/"
                    + v2.getFileName() + "\",\"sha256\":\"" + "ab".repeat(32) + "\"}");
            assertEquals("MODULE_FAILURE", wrongSum.errorCode(), wrongSum.toString());
            assertTrue(wrongSum.payload().contains("not the announced"), wrongSum.payload());
            // Plain HTTP is never used for packages.
            CommandOutcome plain = send(x, "modules", "install", "{\"url\":\"http://localhost/x.cxm\",\"sha256\":\""
                    + "ab".repeat(32) + "\"}");
            assertTrue(plain.payload().contains("https://"), plain.payload());
            assertEquals("9.1.0", x.modules().activeVersion("example").orElseThrow());
        }
        // Installed modules survive a restart (re-verified from disk before loading).
        try (Extender x = f.start()) {
            assertEquals("9.1.0", x.modules().activeVersion("example").orElse("none"));
            assertTrue(x.awaitConnected(T));
            assertTrue(send(x, "example", "echo", "{\"text\":\"after restart\"}").isOk());

            cloud.disableFeature("modules-co", "example");
            await("the module to be removed", () -> x.modules().report().isEmpty());
            CommandOutcome gone = send(x, "example", "echo", "{}");
            assertEquals("UNKNOWN_MODULE", gone.errorCode(), gone.toString());
        }
        assertFalse(builtVersion.isEmpty());
        try (var files = Files.list(f.home().resolve("data/modules/packages"))) {
            assertEquals(0, files.count(), "a removed module leaves no package behind");
        }
    }
}
