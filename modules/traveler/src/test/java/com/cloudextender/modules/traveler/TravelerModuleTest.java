package com.cloudextender.modules.traveler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.traveler.api.TravelerSettings;
import com.cloudextender.modules.traveler.testing.TravelerFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TravelerModuleTest {
    @TempDir
    Path dir;

    @Test
    void theActionsAreTheDescriptors() throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/module/module.properties"))) {
            p.load(in);
        }
        TravelerModule m = new TravelerModule();
        m.start(new FakeModuleContext("traveler", TravelerFixture.config("https://traveler.example.com", null, Map.of()), dir));
        try {
            assertEquals(new TreeSet<>(Arrays.asList(p.getProperty("actions").split(","))), new TreeSet<>(m.actions().keySet()));
        } finally {
            m.stop();
        }
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertEquals("server: 'http://traveler.example.com' must be an https:// URL with a host name; the Domino "
                + "credentials are never sent without TLS", bad(Map.of("server", "http://traveler.example.com")));
        assertTrue(bad(Map.of("server", "https://traveler.example.com/traveler")).startsWith("server: "));
        assertEquals("pageSize: 0 is out of range; allowed 1 to 10000", bad(Map.of("pageSize", "0")));
        assertEquals("apiPath: 'api traveler' must be a path such as /api/traveler", bad(Map.of("apiPath", "api traveler")));
        assertEquals("timeout: must be longer than 0", bad(Map.of("timeout", "0s")));
        Map<String, String> noPassword = new HashMap<>();
        noPassword.put("password", null);
        assertEquals("password: missing; it is required", bad(noPassword));
    }

    @Test
    void thePasswordIsNeverShown() {
        TravelerSettings s = TravelerSettings.read(TravelerFixture.config("https://t.example.com:8443/", null, Map.of()));
        assertEquals("https://t.example.com:8443", s.server().toString());
        assertFalse(s.toString().contains("s3cret"), s.toString());
    }

    private String bad(Map<String, String> extra) {
        TravelerModule m = new TravelerModule();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.start(new FakeModuleContext(
                "traveler", TravelerFixture.config("https://traveler.example.com", null, extra), dir)));
        return e.getMessage();
    }

}
