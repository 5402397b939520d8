package com.cloudextender.modules.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.testkit.FakeModuleContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExchangeModuleTest {
    @TempDir
    Path dir;

    static ModuleConfig config(Map<String, String> values) {
        return new ModuleConfig(values, Set.of("onPremises.password", "online.certificatePassword"));
    }

    @Test
    void theOnPremisesBackendWritesItsHostScriptAndOffersTheDescriptorsActions() throws Exception {
        ExchangeModule m = new ExchangeModule();
        FakeModuleContext c = new FakeModuleContext("exchange", config(Map.of("backend", "onPremises",
                "onPremises.connectionUri", "http://exch01.corp.example/PowerShell/", "onPremises.username", "CORP\\svc",
                "onPremises.password", "pw", "onPremises.powershell", dir.resolve("no-powershell-here").toString())), dir);
        m.start(c);
        try {
            String script = Files.readString(c.workDir().resolve("ExchangeHost.ps1"));
            assertTrue(script.contains("Import-PSSession") && script.contains("& $name @params"), "the shipped host script");
            String code = script.lines().filter(l -> !l.trim().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
            for (String evaluates : new String[]{"Invoke-Expression", "iex ", "ScriptBlock]::Create", "Invoke-Command",
                "ExpandString", "AddScript"}) {
                assertFalse(code.contains(evaluates), "no script text is ever evaluated: " + evaluates);
            }
            Properties descriptor = new Properties();
            try (InputStream in = Files.newInputStream(Path.of("src/main/module/module.properties"))) {
                descriptor.load(in);
            }
            assertEquals(new TreeSet<>(Arrays.asList(descriptor.getProperty("actions").split(","))),
                    new TreeSet<>(m.actions().keySet()));
            assertEquals(1, c.scheduler.active().size(), "a scheduled sync every hour by default");
            // No PowerShell on this machine: diagnose says so, with what to fix, instead of failing.
            var result = m.actions().get("diagnose").execute(new com.cloudextender.api.Command("d1", "exchange", "diagnose",
                    "{}", java.time.Duration.ofSeconds(30)));
            assertTrue(result.isOk());
            assertTrue(result.payload().contains("cannot start the PowerShell host"), result.payload());
            assertTrue(result.payload().contains("\"ok\":false"), result.payload());
        } finally {
            m.stop();
        }
    }

    @Test
    void badConfigurationIsNamed() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> new ExchangeModule().start(
                new FakeModuleContext("exchange", config(Map.of("backend", "cloud")), dir)));
        assertTrue(unknown.getMessage().contains("backend: 'cloud'"), unknown.getMessage());
        var tenant = assertThrows(IllegalArgumentException.class, () -> new ExchangeModule().start(
                new FakeModuleContext("exchange", config(Map.of("backend", "online")), dir)));
        assertTrue(tenant.getMessage().contains("online.tenant"), tenant.getMessage());
        var uri = assertThrows(IllegalArgumentException.class, () -> new ExchangeModule().start(
                new FakeModuleContext("exchange", config(Map.of("backend", "onPremises",
                        "onPremises.connectionUri", "exch01; rm -rf /")), dir)));
        assertTrue(uri.getMessage().contains("onPremises.connectionUri"), uri.getMessage());
        var half = assertThrows(IllegalArgumentException.class, () -> new ExchangeModule().start(
                new FakeModuleContext("exchange", config(Map.of("backend", "onPremises",
                        "onPremises.connectionUri", "http://exch01/PowerShell/", "onPremises.username", "svc")), dir)));
        assertTrue(half.getMessage().contains("set both or neither"), half.getMessage());
    }
}
