package com.cloudextender.modules.directory.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectoryConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "lab");
        c.put("profile.lab.type", "openLdap");
        c.put("profile.lab.servers", "ldaps://ldap1.lab.test:636, ldap://ldap2.lab.test:389");
        c.put("profile.lab.bindDn", "cn=reader,dc=lab,dc=test");
        c.put("profile.lab.bindPassword", "Reader-Pw");
        c.put("profile.lab.baseDn", "dc=lab,dc=test");
        return c;
    }

    private static DirectoryConfig read(Map<String, String> c) {
        return DirectoryConfig.read(new ModuleConfig(c, Set.of("profile.lab.bindPassword")));
    }

    @Test
    void theTypeGivesDefaultsThatSettingsOverride() {
        ProfileSettings lab = read(minimal()).profile("lab").orElseThrow();
        assertEquals("entryUUID", lab.idAttribute());
        assertEquals(List.of("uid", "mail"), lab.loginAttributes());
        assertEquals(List.of("ldaps://ldap1.lab.test:636", "ldap://ldap2.lab.test:389"), lab.servers());
        Map<String, String> c = minimal();
        c.put("profile.lab.loginAttributes", "mail");
        c.put("profile.lab.memberAttribute", "uniqueMember");
        ProfileSettings custom = read(c).profile("lab").orElseThrow();
        assertEquals(List.of("mail"), custom.loginAttributes());
        assertEquals("uniqueMember", custom.memberAttribute());
    }

    @Test
    void ldapUrlsAreUpgradedWithStartTlsByDefault() {
        ProfileSettings lab = read(minimal()).profile("lab").orElseThrow();
        assertTrue(lab.startTls());
        assertFalse(lab.plaintext());
    }

    @Test
    void plainLdapNeedsAnExplicitAllowPlaintext() {
        Map<String, String> c = minimal();
        c.put("profile.lab.startTls", "false");
        String e = assertThrows(IllegalArgumentException.class, () -> read(c)).getMessage();
        assertTrue(e.startsWith("profile.lab.startTls: false, but profile.lab.servers has an ldap:// URL"), e);
        assertTrue(e.contains("set profile.lab.allowPlaintext=true to accept plain LDAP for profile lab"), e);
        c.put("profile.lab.allowPlaintext", "true");
        assertTrue(read(c).profile("lab").orElseThrow().plaintext());
        c.remove("profile.lab.startTls");
        assertTrue(read(c).profile("lab").orElseThrow().plaintext(), "allowPlaintext alone means plain LDAP");
        Map<String, String> ldapsOnly = minimal();
        ldapsOnly.put("profile.lab.servers", "ldaps://ldap1.lab.test:636");
        ldapsOnly.put("profile.lab.startTls", "false");
        assertFalse(read(ldapsOnly).profile("lab").orElseThrow().plaintext(), "ldaps:// needs no StartTLS");
    }

    @Test
    void messagesNameTheKeyToFix() {
        Map<String, String> noServers = minimal();
        noServers.remove("profile.lab.servers");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(noServers)).getMessage()
                .startsWith("profile.lab.servers: missing"));
        Map<String, String> badType = minimal();
        badType.put("profile.lab.type", "novell");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(badType)).getMessage()
                .startsWith("profile.lab.type: 'novell' is not a directory type"));
        Map<String, String> badSync = minimal();
        badSync.put("sync.profiles", "corp");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(badSync)).getMessage()
                .startsWith("sync.profiles: 'corp' is not one of"));
        Map<String, String> badPercent = minimal();
        badPercent.put("sync.deleteThresholdPercent", "150");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(badPercent)).getMessage()
                .startsWith("sync.deleteThresholdPercent: 150 is out of range"));
    }

    @Test
    void theBindPasswordIsNeverPrinted() {
        org.junit.jupiter.api.Assertions.assertFalse(read(minimal()).profile("lab").orElseThrow().toString().contains("Reader-Pw"));
    }

    @Test
    void syncScopesDefaultToTheBaseAndSplitDnListsOnSemicolons() {
        Map<String, String> c = minimal();
        c.put("sync.profiles", "lab");
        c.put("sync.lab.excludeOus", "ou=Old,dc=lab,dc=test; ou=Test,dc=lab,dc=test");
        SyncSettings.Scope scope = read(c).sync().profiles().get("lab");
        assertEquals("dc=lab,dc=test", scope.includeOus().get(0).toString());
        assertEquals(2, scope.excludeOus().size());
    }

    @Test
    void theDeletionSweepAgeFollowsTheScheduleUnlessSetAndNegativeDurationsAreRefused() {
        Map<String, String> c = minimal();
        assertEquals(java.time.Duration.ofHours(1), read(c).sync().deletionSweep());
        assertEquals(java.time.Duration.ofHours(1), read(c).sync().deletionSweepAge());
        c.put("sync.deletionSweep", "6h");
        assertEquals(java.time.Duration.ofHours(6), read(c).sync().deletionSweepAge());
        c.put("sync.deletionSweep", "0s");
        assertEquals(java.time.Duration.ofHours(1), read(c).sync().deletionSweepAge(), "no schedule: deltas sweep hourly");
        c.put("sync.deletionSweepAge", "0s");
        assertEquals(java.time.Duration.ZERO, read(c).sync().deletionSweepAge());
        c.put("sync.deletionSweepAge", "-1h");
        String e = assertThrows(IllegalArgumentException.class, () -> read(c)).getMessage();
        assertTrue(e.startsWith("sync.deletionSweepAge: "), e);
    }
}
