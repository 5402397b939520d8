package com.cloudextender.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Diagnose reads the directory's transport by the module's rules and reports plain LDAP. */
class DirectoryTransportTest {
    private static final List<String> PLAIN = List.of("ldap://dc1.corp.example:389");

    private static Properties settings(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty("profile.corp." + keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void ldapUrlsUseStartTlsByDefaultAndNeedNoCheck() {
        DirectoryTransport t = DirectoryTransport.of("corp", settings(), PLAIN);
        assertTrue(t.startTls());
        assertFalse(t.plaintext());
        assertTrue(t.check("directory corp", "corp").isEmpty());
    }

    @Test
    void allowedPlaintextIsAWarningNamingTheProfile() {
        Check c = DirectoryTransport.of("corp", settings("allowPlaintext", "true"), PLAIN)
                .check("directory corp", "corp").orElseThrow();
        assertEquals(Check.Level.WARN, c.level());
        assertTrue(c.detail().contains("profile.corp.allowPlaintext=true"), c.detail());
        assertTrue(c.detail().contains("in clear"), c.detail());
    }

    @Test
    void startTlsOffWithoutAllowPlaintextFailsAsTheModuleWould() {
        Check c = DirectoryTransport.of("corp", settings("startTls", "false"), PLAIN)
                .check("directory corp", "corp").orElseThrow();
        assertEquals(Check.Level.FAIL, c.level());
        assertTrue(c.detail().startsWith("profile.corp.startTls=false on an ldap:// server"), c.detail());
        assertTrue(DirectoryTransport.of("corp", settings("startTls", "false"), List.of("ldaps://dc1:636"))
                .check("directory corp", "corp").isEmpty(), "ldaps:// needs no StartTLS");
    }
}
