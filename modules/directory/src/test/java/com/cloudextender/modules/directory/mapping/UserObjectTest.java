package com.cloudextender.modules.directory.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.Command;
import com.cloudextender.modules.directory.DirectoryModule;
import com.cloudextender.modules.directory.testing.TestContexts;
import com.cloudextender.modules.directory.testing.TestDirectory;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserObjectTest {
    private static final String ALICE = "cn=alice,ou=Staff," + TestDirectory.BASE;

    @TempDir
    Path dir;
    TestDirectory ldap;
    DirectoryModule module;

    @BeforeEach
    void setUp() throws Exception {
        ldap = new TestDirectory().withSampleData();
        ldap.server.modify(ALICE,
                new Modification(ModificationType.ADD, "givenName", "Alice"),
                new Modification(ModificationType.ADD, "sn", "Liddell"),
                new Modification(ModificationType.ADD, "telephoneNumber", "+41 44 000 00 01"),
                new Modification(ModificationType.ADD, "employeeID", "E-1001"),
                new Modification(ModificationType.ADD, "departmentNumber", "4711"),
                new Modification(ModificationType.ADD, "otherMailbox", "a@one.test", "a@two.test"));
    }

    @AfterEach
    void tearDown() {
        if (module != null) {
            module.stop();
        }
        ldap.close();
    }

    private JsonNode run(Map<String, String> extra, String action, String args) throws Exception {
        Map<String, String> c = new HashMap<>(extra);
        c.put("profile.corp.map.custom.costCenter", "departmentNumber");
        c.put("profile.corp.map.custom.aliases", "otherMailbox");
        module = new DirectoryModule();
        module.start(TestContexts.create(ldap.config(c), TestDirectory.secrets(), dir));
        var r = module.actions().get(action).execute(new Command("c", "directory", action, args, Duration.ofSeconds(30)));
        return Json.MAPPER.readTree(r.payload());
    }

    @Test
    void lookupUserMapsTheActiveDirectoryTemplateAndCustomFields() throws Exception {
        JsonNode user = run(Map.of(), "lookupUser", "{\"username\":\"alice\"}").get("user");
        assertEquals("alice", user.get("userName").asText());
        assertEquals("CORP", user.get("domain").asText(), "the profile's domain");
        assertEquals("alice@corp.test", user.get("email").asText());
        assertEquals("Alice", user.get("firstName").asText());
        assertEquals("Liddell", user.get("lastName").asText());
        assertEquals("Alice", user.get("displayName").asText());
        assertEquals("+41 44 000 00 01", user.get("phone").asText());
        assertEquals("E-1001", user.get("employeeId").asText());
        assertEquals("4711", user.get("custom").get("costCenter").asText());
        assertEquals(2, user.get("custom").get("aliases").size());
    }

    @Test
    void overridesApplyAbsentAttributesAreLeftOutAndTheDomainComesFromTheDn() throws Exception {
        JsonNode auth = run(Map.of("profile.corp.domain", "", "profile.corp.map.userName", "userPrincipalName",
                "profile.corp.map.phone", ""), "authenticate",
                "{\"username\":\"carol\",\"password\":\"Carol-Pw-3\",\"attributes\":true}");
        assertTrue(auth.get("authenticated").asBoolean());
        JsonNode user = auth.get("user");
        assertEquals("carol@corp.test", user.get("userName").asText());
        assertEquals("corp.test", user.get("domain").asText(), "dc=corp,dc=test");
        assertFalse(user.has("firstName"), "carol has no givenName: " + user);
        assertFalse(user.has("phone"));
        assertEquals(0, user.get("custom").size());
    }

    @Test
    void authenticateWithoutAttributesSendsNoUserObject() throws Exception {
        JsonNode auth = run(Map.of(), "authenticate", "{\"username\":\"alice\",\"password\":\"Alice-Pw-1\"}");
        assertTrue(auth.get("authenticated").asBoolean());
        assertFalse(auth.has("user"));
    }
}
