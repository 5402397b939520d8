package com.cloudextender.modules.directory.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The core fills in the descriptor's defaults before the module reads its configuration, so a default
 * there overrides the module's own: the packaged defaults must keep StartTLS on for ldap:// URLs.
 */
class DescriptorDefaultsTest {
    @Test
    void theDescriptorsDefaultsKeepStartTlsOn() throws Exception {
        Properties descriptor = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/module/module.properties"))) {
            descriptor.load(r);
        }
        Map<String, String> c = new HashMap<>();
        for (String key : descriptor.stringPropertyNames()) {
            if (key.startsWith("config.profile.*.") && key.endsWith(".default") && !key.contains(".map.")) {
                String setting = key.substring("config.profile.*.".length(), key.length() - ".default".length());
                c.put("profile.corp." + setting, descriptor.getProperty(key));
            }
        }
        c.put("profiles", "corp");
        c.put("profile.corp.servers", "ldap://dc1.corp.example:389");
        c.put("profile.corp.bindDn", "cn=svc,dc=corp,dc=example");
        c.put("profile.corp.bindPassword", "x");
        c.put("profile.corp.baseDn", "dc=corp,dc=example");
        ProfileSettings p = DirectoryConfig.read(new ModuleConfig(c, Set.of())).profile("corp").orElseThrow();
        assertTrue(p.startTls());
        assertFalse(p.plaintext());
    }
}
