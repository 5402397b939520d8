package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.testing.TestContexts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.directory.DirectoryModule;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.directory.testing.TestDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupActionsTest {
    @TempDir
    Path dir;
    TestDirectory ldap;
    DirectoryModule module;

    @BeforeEach
    void setUp() throws Exception {
        ldap = new TestDirectory().withSampleData();
        module = new DirectoryModule();
        module.start(TestContexts.create(ldap.config(Map.of()), TestDirectory.secrets(), dir));
        module.selfCheck();
    }

    @AfterEach
    void tearDown() {
        module.stop();
        ldap.close();
    }

    private JsonNode run(String action, String args) throws Exception {
        var result = module.actions().get(action).execute(new Command("c", "directory", action, args, Duration.ofSeconds(30)));
        return Json.MAPPER.readTree(result.payload());
    }

    @Test
    void lookupUserReportsTheDisabledFlagFromUserAccountControl() throws Exception {
        JsonNode bob = run("lookupUser", "{\"username\":\"bob\"}");
        assertTrue(bob.get("found").asBoolean());
        assertFalse(bob.get("enabled").asBoolean());
        assertFalse(bob.get("locked").asBoolean());
        assertEquals("bob@corp.test", bob.get("attributes").get("userPrincipalName").asText());
        assertTrue(run("lookupUser", "{\"username\":\"alice\"}").get("enabled").asBoolean());
        JsonNode none = run("lookupUser", "{\"username\":\"*\"}");
        assertFalse(none.get("found").asBoolean());
        assertEquals("USER_NOT_FOUND", none.get("reason").asText());
    }

    @Test
    void groupMembersPagesThroughALargeGroupByNameOrDn() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            members.add("cn=u" + i + ",ou=Staff," + TestDirectory.BASE);
        }
        ldap.server.add(TestDirectory.group("Everyone", "ou=Staff", members.toArray(String[]::new)));
        JsonNode first = run("groupMembers", "{\"group\":\"Everyone\",\"limit\":1000}");
        assertEquals(1000, first.get("members").size());
        assertTrue(first.get("more").asBoolean());
        JsonNode last = run("groupMembers", "{\"group\":\"cn=Everyone,ou=Staff," + TestDirectory.BASE + "\",\"offset\":2000,\"limit\":1000}");
        assertEquals(500, last.get("members").size());
        assertFalse(last.get("more").asBoolean());
        assertEquals(members.get(2000), last.get("members").get(0).asText());
        CommandException e = assertThrows(CommandException.class, () -> run("groupMembers", "{\"group\":\"Nobody\"}"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    @Test
    void groupMembersRefusesANonGroupDnAFilterLikeNameAndControlCharacters() throws Exception {
        String alice = "cn=alice,ou=Staff," + TestDirectory.BASE;
        CommandException user = assertThrows(CommandException.class,
                () -> run("groupMembers", "{\"group\":\"" + alice + "\"}"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, user.code());
        assertTrue(user.getMessage().startsWith("group: " + alice + " is not a group"), user.getMessage());

        // Not a valid DN by the strict rules, so it is looked up as a name (escaped) and found nowhere.
        CommandException filter = assertThrows(CommandException.class,
                () -> run("groupMembers", "{\"group\":\"*)(cn=*\"}"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, filter.code());
        assertTrue(filter.getMessage().startsWith("group: no group named '*)(cn=*'"), filter.getMessage());

        CommandException missing = assertThrows(CommandException.class,
                () -> run("groupMembers", "{\"group\":\"cn=Nobody,ou=Staff," + TestDirectory.BASE + "\"}"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, missing.code());
        assertTrue(missing.getMessage().contains("no group with the DN"), missing.getMessage());

        CommandException nul = assertThrows(CommandException.class,
                () -> run("groupMembers", "{\"group\":\"Admins\\u0000*\"}"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, nul.code());
        assertTrue(nul.getMessage().startsWith("group: contains the control character U+0000"), nul.getMessage());

        assertEquals(2, run("groupMembers", "{\"group\":\"cn=Admins,ou=Staff," + TestDirectory.BASE + "\"}")
                .get("members").size());
    }

    @Test
    void lookupUserRefusesADomainWithAControlCharacter() {
        CommandException e = assertThrows(CommandException.class,
                () -> run("lookupUser", "{\"username\":\"alice\",\"domain\":\"CORP\\u0000x\"}"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().startsWith("domain: contains the control character U+0000"), e.getMessage());
    }

    @Test
    void discoverOusListsOneLevelUnderTheNamingContextsOrTheGivenBase() throws Exception {
        JsonNode top = run("discoverOus", "{}");
        JsonNode base = top.get("bases").get(0);
        assertEquals(TestDirectory.BASE, base.get("dn").asText());
        List<String> names = new ArrayList<>();
        base.get("children").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("Lab", "Service", "Staff"), names.stream().sorted().toList());
        ldap.server.add(new com.unboundid.ldap.sdk.Entry("ou=Interns,ou=Staff," + TestDirectory.BASE,
                new com.unboundid.ldap.sdk.Attribute("objectClass", "organizationalUnit"),
                new com.unboundid.ldap.sdk.Attribute("ou", "Interns")));
        JsonNode staff = run("discoverOus", "{\"base\":\"ou=Staff," + TestDirectory.BASE + "\"}");
        assertEquals(1, staff.get("bases").get(0).get("children").size());
        assertEquals("organizationalUnit", staff.get("bases").get(0).get("children").get(0).get("type").asText());
    }

    @Test
    void discoverOusRefusesABaseOutsideTheProfilesBaseDnComparedAsDns() throws Exception {
        for (String outside : new String[] {"dc=test", "dc=other,dc=test", "dc=notcorp,dc=test",
                "cn=Configuration,dc=corp,dc=test,dc=evil"}) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(com.cloudextender.api.CommandException.class,
                    () -> module.actions().get("discoverOus").execute(new Command("c", "directory", "discoverOus",
                            "{\"base\":\"" + outside + "\"}", Duration.ofSeconds(30))), outside);
            assertEquals(com.cloudextender.api.ErrorCode.INVALID_ARGUMENTS, e.code());
            assertTrue(e.getMessage().startsWith("base: "), e.getMessage());
        }
        // The same DN written with other case and spacing is inside.
        JsonNode staff = run("discoverOus", "{\"base\":\"OU=Staff, DC=Corp, DC=Test\"}");
        assertEquals("OU=Staff, DC=Corp, DC=Test", staff.get("bases").get(0).get("dn").asText());
        assertEquals(TestDirectory.BASE, run("discoverOus", "{\"base\":\"DC=corp,DC=test\"}").get("bases").get(0)
                .get("dn").asText().toLowerCase());
    }
}
