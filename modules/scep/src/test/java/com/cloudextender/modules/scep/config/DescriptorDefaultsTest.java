package com.cloudextender.modules.scep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * there overrides the module's own: the packaged defaults must give the safe request policy.
 */
class DescriptorDefaultsTest {
    @Test
    void theDescriptorsDefaultsKeepTheSafeRequestPolicy() throws Exception {
        Properties descriptor = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/module/module.properties"))) {
            descriptor.load(r);
        }
        Map<String, String> c = new HashMap<>();
        for (String key : descriptor.stringPropertyNames()) {
            if (key.startsWith("config.profile.*.") && key.endsWith(".default")) {
                String setting = key.substring("config.profile.*.".length(), key.length() - ".default".length());
                c.put("profile.wifi." + setting, descriptor.getProperty(key));
            }
        }
        c.put("profiles", "wifi");
        c.put("profile.wifi.url", "http://ndes.corp.example/scep");
        c.put("profile.wifi.caFingerprint", "AB".repeat(32));
        ProfileSettings p = ProfileSettings.read(new ModuleConfig(c, Set.of()), "wifi");
        assertEquals(SubjectTemplate.DEFAULT, p.subjectPattern().template());
        assertEquals(Set.of(SanType.RFC822_NAME), p.allowedSanTypes());
        assertTrue(p.allowedExtensions().isEmpty());
    }
}
