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

class UserMappingTest {
    private static Map<String, String> profile(String type) {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "p");
        c.put("profile.p.type", type);
        c.put("profile.p.servers", "ldap://ldap.test:389");
        c.put("profile.p.bindDn", "cn=reader,dc=test");
        c.put("profile.p.bindPassword", "Reader-Pw");
        c.put("profile.p.baseDn", "dc=test");
        return c;
    }

    private static ProfileSettings read(Map<String, String> c) {
        return DirectoryConfig.read(new ModuleConfig(c, Set.of("profile.p.bindPassword"))).profile("p").orElseThrow();
    }

    @Test
    void eachTypeHasItsTemplateAndDomainIsDerivedUnlessMapped() {
        UserMapping ad = read(profile("activeDirectory")).mapping();
        assertEquals("sAMAccountName", ad.fields().get("userName"));
        assertEquals("employeeID", ad.fields().get("employeeId"));
        assertEquals("telephoneNumber", ad.fields().get("phone"));
        assertFalse(ad.fields().containsKey("domain"));
        UserMapping ldap = read(profile("openLdap")).mapping();
        assertEquals("uid", ldap.fields().get("userName"));
        assertEquals("cn", ldap.fields().get("displayName"));
        assertEquals("employeeNumber", ldap.fields().get("employeeId"));
        assertEquals(GroupNesting.IN_CHAIN, read(profile("activeDirectory")).nesting());
        assertEquals(GroupNesting.EXPAND, read(profile("openLdap")).nesting());
    }

    @Test
    void keysOverrideTurnOffAndAddCustomFields() {
        Map<String, String> c = profile("openLdap");
        c.put("profile.p.map.email", "mailPrimaryAddress");
        c.put("profile.p.map.phone", "");
        c.put("profile.p.map.domain", "associatedDomain");
        c.put("profile.p.map.custom.costCenter", "departmentNumber");
        c.put("profile.p.map.custom.badge", "roomNumber");
        c.put("profile.p.nestedGroups", "direct");
        ProfileSettings p = read(c);
        UserMapping m = p.mapping();
        assertEquals("mailPrimaryAddress", m.fields().get("email"));
        assertFalse(m.fields().containsKey("phone"));
        assertEquals("associatedDomain", m.fields().get("domain"));
        assertEquals(List.of("badge", "costCenter"), List.copyOf(m.custom().keySet()));
        assertTrue(m.attributes().containsAll(Set.of("departmentNumber", "roomNumber", "associatedDomain")));
        assertEquals(GroupNesting.DIRECT, p.nesting());
    }

    @Test
    void aBadAttributeOrModeIsNamedByItsKey() {
        Map<String, String> c = profile("openLdap");
        c.put("profile.p.map.email", "mail)(uid=*");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(c)).getMessage()
                .startsWith("profile.p.map.email: 'mail)(uid=*' is not an LDAP attribute name"));
        Map<String, String> custom = profile("openLdap");
        custom.put("profile.p.map.custom.cost", "");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(custom)).getMessage()
                .startsWith("profile.p.map.custom.cost:"));
        Map<String, String> mode = profile("openLdap");
        mode.put("profile.p.nestedGroups", "deep");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(mode)).getMessage()
                .startsWith("profile.p.nestedGroups: 'deep' is not a nesting mode"));
    }
}
