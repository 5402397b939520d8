package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.devcloud.modules.ModuleEntry;
import com.cloudextender.devcloud.modules.TestPackages;
import com.fasterxml.jackson.databind.JsonNode;

/** Features: enabling, disabling and reconfiguring push modules/install, remove and configure to extenders. */
class FeaturesTest extends WithDevCloud {
    /** Long enough for a wrong command to arrive over loopback; short enough to keep the suite quick. */
    private static final long QUIET_MS = 700;

    private ModuleEntry stable;
    private ModuleEntry preRelease;

    @BeforeEach
    void publish() throws Exception {
        stable = cloud.publishModule(TestPackages.write(dir.resolve("build"), "directory", "1.0.0"), "stable");
        preRelease = cloud.publishModule(TestPackages.write(dir.resolve("build"), "directory", "1.1.0-rc.1"),
                "pre-release");
    }

    private static JsonNode arguments(CommandIq command) throws Exception {
        return Api.JSON.readTree(command.arguments());
    }

    private void assertInstall(CommandIq command, ModuleEntry entry, Map<String, String> config) throws Exception {
        assertEquals("modules", command.module());
        assertEquals("install", command.action());
        JsonNode args = arguments(command);
        assertEquals(cloud.apiUrl() + "/modules/" + entry.file(), args.get("url").asText());
        assertEquals(entry.sha256(), args.get("sha256").asText());
        assertEquals(entry.id(), args.get("id").asText());
        assertEquals(Api.JSON.valueToTree(config), args.get("config"));
    }

    private Api.Response console(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.apiUrl().resolve(path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return new Api(cloud).send(request, cloud.consoleToken());
    }

    @Test
    void enablingPushesTheStableInstallWithUrlSha256AndConfig() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            ext.sendModulesHealth("stable");
            ext.expectNoCommand(QUIET_MS);

            assertTrue(cloud.enableFeature("acme", "directory", Map.of("host", "ldap.acme", "port", "636")));

            CommandIq install = ext.nextCommand(5);
            assertInstall(install, stable, Map.of("host", "ldap.acme", "port", "636"));
            assertEquals(Duration.ofMinutes(5).toMillis(), install.timeoutMillis());
            assertEquals(200, new Api(cloud).get("/modules/" + stable.file(), null).status());
        }
    }

    @Test
    void aPreReleaseExtenderGetsTheNewestOfBothChannelsAndAStableOneTheNewestStable() throws Exception {
        cloud.createActivationCode("acme");
        cloud.enableFeature("acme", "directory", Map.of());
        try (FakeExtender stableExt = FakeExtender.register(cloud, "acme").connectDirectTls();
                FakeExtender earlyExt = FakeExtender.register(cloud, "acme").connectStartTls()) {
            stableExt.expectNoCommand(QUIET_MS); // nothing before its first health report

            stableExt.sendModulesHealth(null);
            earlyExt.sendModulesHealth("pre-release");

            assertInstall(stableExt.nextCommand(5), stable, Map.of());
            assertInstall(earlyExt.nextCommand(5), preRelease, Map.of());
        }
    }

    @Test
    void anExtenderRunningTheRightVersionGetsNothingAndOtherCustomersAreLeftAlone() throws Exception {
        try (FakeExtender current = FakeExtender.register(cloud, "acme");
                FakeExtender other = FakeExtender.register(cloud, "globex").connectDirectTls()) {
            other.sendModulesHealth("stable");
            cloud.enableFeature("acme", "directory", Map.of("host", "a"));

            current.connectDirectTls().sendModulesHealth("stable", "directory@1.0.0");

            current.expectNoCommand(QUIET_MS);
            other.expectNoCommand(0);
        }
    }

    @Test
    void disablingThroughTheConsoleSendsRemove() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme")) {
            assertEquals(201, console("PUT", "/api/v1/customers/acme/features/directory", "{\"config\":{}}").status());
            ext.connectDirectTls().sendModulesHealth("stable", "directory@1.0.0");
            ext.expectNoCommand(QUIET_MS);

            Api.Response disabled = console("DELETE", "/api/v1/customers/acme/features/directory", null);

            assertEquals(204, disabled.status());
            CommandIq remove = ext.nextCommand(5);
            assertEquals("modules", remove.module());
            assertEquals("remove", remove.action());
            assertEquals("{\"id\":\"directory\"}", remove.arguments());
            Api.Response again = console("DELETE", "/api/v1/customers/acme/features/directory", null);
            assertEquals(404, again.status());
            assertEquals("feature 'directory' is not enabled for customer 'acme'", again.json().get("error").asText());
        }
    }

    @Test
    void aPublishedModuleThatIsNotEnabledIsRemovedWhenTheExtenderReportsIt() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            ext.sendModulesHealth("stable", "directory@0.9.0", "example@1.0.0");

            CommandIq remove = ext.nextCommand(5);

            assertEquals("remove", remove.action());
            assertEquals("{\"id\":\"directory\"}", remove.arguments());
            ext.expectNoCommand(QUIET_MS); // "example" is not in the repository: not the cloud's to remove
        }
    }

    @Test
    void changingTheConfigSendsConfigureOnceAndTheSameConfigSendsNothing() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme")) {
            String path = "/api/v1/customers/acme/features/directory";
            assertEquals(201, console("PUT", path, "{\"config\":{\"host\":\"a\"}}").status());
            ext.connectDirectTls().sendModulesHealth("stable", "directory@1.0.0");
            ext.expectNoCommand(QUIET_MS);

            Api.Response changed = console("PUT", path, "{\"config\":{\"host\":\"b\",\"port\":636}}");

            assertEquals(200, changed.status(), changed.body());
            assertTrue(!changed.body().contains("636"), changed.body());
            CommandIq configure = ext.nextCommand(5);
            assertEquals("configure", configure.action());
            assertEquals(Api.JSON.readTree("{\"id\":\"directory\",\"config\":{\"host\":\"b\",\"port\":\"636\"}}"),
                    arguments(configure));
            ext.sendResult(configure.commandId(), null, "{}");
            assertEquals(200, console("PUT", path, "{\"config\":{\"port\":\"636\",\"host\":\"b\"}}").status());
            ext.expectNoCommand(QUIET_MS);
            JsonNode listed = new Api(cloud).get("/api/v1/customers/acme/features", cloud.consoleToken()).json();
            assertEquals(Api.JSON.readTree("[\"host\",\"port\"]"), listed.get(0).get("configKeys"));
            assertTrue(listed.get(0).path("config").isMissingNode(), "values are never echoed");
        }
    }

    @Test
    void aConfigChangeWhileInstallingFollowsTheInstall() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            ext.sendModulesHealth("stable");
            cloud.enableFeature("acme", "directory", Map.of("host", "a"));
            CommandIq install = ext.nextCommand(5);

            cloud.enableFeature("acme", "directory", Map.of("host", "b"));
            ext.expectNoCommand(QUIET_MS);
            ext.sendResult(install.commandId(), null, "{}");

            CommandIq configure = ext.nextCommand(5);
            assertEquals("configure", configure.action());
            assertEquals("b", arguments(configure).get("config").get("host").asText());
        }
    }

    @Test
    void publishingANewerVersionPushesTheUpgradeToTheExtendersWhoseChannelAcceptsIt() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme")) {
            cloud.enableFeature("acme", "directory", Map.of("host", "a"));
            ext.connectDirectTls().sendModulesHealth("stable", "directory@1.0.0");

            cloud.publishModule(TestPackages.write(dir.resolve("build"), "directory", "2.0.0-rc.1"), "pre-release");
            ext.expectNoCommand(QUIET_MS);
            ModuleEntry upgrade = cloud.publishModule(TestPackages.write(dir.resolve("build"), "directory", "1.2.0"),
                    "stable");

            assertInstall(ext.nextCommand(5), upgrade, Map.of("host", "a"));
        }
    }

    @Test
    void aScheduledUpgradeToTheRightVersionIsNotSentAgain() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme")) {
            cloud.enableFeature("acme", "directory", Map.of());
            ModuleEntry upgrade = cloud.publishModule(TestPackages.write(dir.resolve("build"), "directory", "1.2.0"),
                    "stable");

            ext.connectDirectTls().sendModulesHealth("stable", "directory@1.0.0>1.2.0");
            ext.expectNoCommand(QUIET_MS);
            ext.sendModulesHealth("stable", "directory@1.0.0"); // the scheduled upgrade was dropped

            CommandIq install = ext.nextCommand(5);
            assertInstall(install, upgrade, Map.of());
            assertTrue(arguments(install).path("allowDowngrade").isMissingNode());
        }
    }

    @Test
    void leavingThePreReleaseChannelInstallsTheNewestStableAsAnExplicitDowngrade() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme")) {
            cloud.enableFeature("acme", "directory", Map.of());

            ext.connectDirectTls().sendModulesHealth("stable", "directory@1.1.0-rc.1");

            CommandIq install = ext.nextCommand(5);
            assertInstall(install, stable, Map.of());
            assertTrue(arguments(install).get("allowDowngrade").asBoolean());
        }
    }

    @Test
    void anOutstandingInstallIsNotSentAgainAndAFailedOneWaitsForAReconnect() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            ext.sendModulesHealth("stable");
            cloud.enableFeature("acme", "directory", Map.of());
            CommandIq first = ext.nextCommand(5);

            ext.sendModulesHealth("stable");
            ext.sendModulesHealth("stable");
            cloud.enableFeature("acme", "directory", Map.of());
            ext.expectNoCommand(QUIET_MS);

            ext.sendResult(first.commandId(), "MODULE_FAILURE", "{\"message\":\"signature does not verify\"}");
            ext.sendModulesHealth("stable");
            ext.expectNoCommand(QUIET_MS);

            ext.disconnect();
            ext.connectDirectTls();
            ext.sendModulesHealth("stable");
            CommandIq retry = ext.nextCommand(5);
            assertInstall(retry, stable, Map.of());
            ext.sendResult(retry.commandId(), null, "{}");
            ext.sendModulesHealth("stable", "directory@1.0.0");
            ext.expectNoCommand(QUIET_MS);
        }
    }

    @Test
    void enablingNeedsAKnownCustomerAndAPublishedModuleAndFeaturesSurviveARestart() throws Exception {
        cloud.createActivationCode("acme");

        Api.Response unknownModule = console("PUT", "/api/v1/customers/acme/features/nope", "{}");
        Api.Response unknownCustomer = console("PUT", "/api/v1/customers/nobody/features/directory", "{}");
        Api.Response nested = console("PUT", "/api/v1/customers/acme/features/directory",
                "{\"config\":{\"a\":{\"b\":1}}}");
        assertThrows(IllegalArgumentException.class, () -> cloud.enableFeature("acme", "nope", Map.of()));

        assertEquals(404, unknownModule.status());
        assertTrue(unknownModule.json().get("error").asText().contains("no module 'nope' is published"));
        assertEquals(404, unknownCustomer.status());
        assertTrue(unknownCustomer.json().get("error").asText().contains("no customer 'nobody' is known"));
        assertEquals(400, nested.status());
        assertEquals("config 'a' must be a string, number or boolean", nested.json().get("error").asText());

        cloud.enableFeature("acme", "directory", Map.of("password", "s3cret"));
        cloud.close();
        cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));

        assertEquals(Map.of("password", "s3cret"), cloud.features("acme").get(0).config());
    }

    @Test
    void theFeatureCommandWaitsForThePushAndPrintsEachExtendersOutcomeWithItsMessage() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                com.cloudextender.devcloud.features.ModuleRollout.class);
        var logs = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logs.start();
        logger.addAppender(logs);
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            ext.sendModulesHealth("stable");
            ext.expectNoCommand(QUIET_MS);
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            java.util.concurrent.CompletableFuture<Integer> exit = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> new picocli.CommandLine(new com.cloudextender.devcloud.cli.FeatureCommand()).execute("-d",
                            dir.toString(), "--customer", "acme", "--module", "directory", "--wait", "30"));
            CommandIq install = ext.nextCommand(10);
            JsonNode pending = console("GET", "/api/v1/customers/acme/features/directory/pushes", null).json();
            assertEquals("pending", pending.get(0).get("state").asText(), pending.toString());
            ext.sendResult(install.commandId(), "MODULE_FAILURE",
                    "{\"message\":\"package refused: entry \\\"lib/../../evil.jar\\\" escapes the module folder\"}");
            assertEquals(1, exit.get(30, java.util.concurrent.TimeUnit.SECONDS), "a failed push fails the command");
        } finally {
            System.setOut(stdout);
            logger.detachAppender(logs);
        }
        String out = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.contains("feature directory enabled for acme"), out);
        assertTrue(out.contains(": FAILED (install): MODULE_FAILURE: package refused: entry \"lib/../../evil.jar\" "
                + "escapes the module folder"), out);
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("did not complete")
                && e.getFormattedMessage().contains("MODULE_FAILURE: package refused")), logs.list.toString());
    }
}
