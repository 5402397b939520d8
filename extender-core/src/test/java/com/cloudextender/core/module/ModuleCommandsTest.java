package com.cloudextender.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.core.command.ActionRegistry;

/** The modules/* commands' argument checks and answers, without a cloud (downloads are tested end to end). */
class ModuleCommandsTest {
    @TempDir
    Path dir;
    private ModuleHost host;
    private CloseableHttpClient http;
    private ActionRegistry.ModuleActions commands;

    @BeforeEach
    void setUp() {
        host = new ModuleHost(dir);
        http = HttpClients.createDefault();
        commands = new ModuleCommands(host.manager, http, dir.resolve("incoming"), 1 << 20, () -> "pre-release")
                .module("1.0.0");
    }

    @AfterEach
    void tearDown() throws Exception {
        http.close();
        host.close();
    }

    private String run(String action, String args) throws Exception {
        return commands.actions().get(action).execute(new Command("c", "modules", action, args, Duration.ofSeconds(10)))
                .payload();
    }

    private CommandException refused(String action, String args) {
        return assertThrows(CommandException.class, () -> run(action, args));
    }

    @Test
    void listShowsTheReleaseChannelAndTheInstalledModules() throws Exception {
        host.install(host.simple("tool", "1.2.0", "t"));
        String list = run("list", "{}");
        assertTrue(list.startsWith("{\"releaseChannel\":\"pre-release\",\"modules\":[{\"id\":\"tool\",\"version\":\"1.2.0\","
                + "\"state\":\"active\""), list);
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        CommandException noUrl = refused("install", "{\"sha256\":\"" + "a".repeat(64) + "\"}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, noUrl.code());
        assertEquals("'url' is missing", noUrl.getMessage());

        CommandException plain = refused("install", "{\"url\":\"http://cloud/x.cxm\",\"sha256\":\"" + "a".repeat(64) + "\"}");
        assertEquals(ErrorCode.MODULE_FAILURE, plain.code());
        assertTrue(plain.getMessage().contains("nothing is ever downloaded or uploaded over plain HTTP"), plain.getMessage());

        CommandException badSum = refused("install", "{\"url\":\"https://cloud/x.cxm\",\"sha256\":\"abc\"}");
        assertTrue(badSum.getMessage().contains("64 hexadecimal digits"), badSum.getMessage());

        CommandException config = refused("configure", "{\"id\":\"tool\",\"config\":[1]}");
        assertEquals("'config' must be an object of settings", config.getMessage());
        CommandException nested = refused("configure", "{\"id\":\"tool\",\"config\":{\"a\":{\"b\":1}}}");
        assertEquals("config 'a' must be a string, number or boolean", nested.getMessage());

        assertEquals("'id' is missing", refused("remove", "{}").getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENTS, refused("enable", "not json").code());
    }

    @Test
    void anUpgradeNeedsAnInstalledModuleAndOperationFailuresAreModuleFailures() throws Exception {
        CommandException upgrade = refused("upgrade", "{\"id\":\"ghost\",\"url\":\"https://cloud/g.cxm\",\"sha256\":\""
                + "a".repeat(64) + "\"}");
        assertEquals(ErrorCode.INVALID_ARGUMENTS, upgrade.code());
        assertEquals("module 'ghost' is not installed; use install", upgrade.getMessage());

        CommandException remove = refused("remove", "{\"id\":\"ghost\"}");
        assertEquals(ErrorCode.MODULE_FAILURE, remove.code());
        assertTrue(remove.getMessage().startsWith("no module 'ghost' is installed"), remove.getMessage());

        host.install(host.simple("tool", "1.0.0", "t"));
        assertTrue(run("disable", "{\"id\":\"tool\"}").contains("\"state\":\"disabled\""));
        assertTrue(run("enable", "{\"id\":\"tool\"}").contains("\"state\":\"active\""));
        assertEquals("{\"version\":\"t\"}", host.hello("tool"));
    }
}
