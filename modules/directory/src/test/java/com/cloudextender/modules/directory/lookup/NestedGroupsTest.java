package com.cloudextender.modules.directory.lookup;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nested groups on the in-memory directory, which has no in-chain matching rule, so the profile
 * expands level by level: A ⊃ B ⊃ alice, and a cycle C ⊃ D ⊃ C with carol in D.
 */
class NestedGroupsTest {
    private static final String ALICE = "cn=alice,ou=Staff," + TestDirectory.BASE;
    private static final String BOB = "cn=bob,ou=Staff," + TestDirectory.BASE;
    private static final String CAROL = "cn=carol,ou=Lab," + TestDirectory.BASE;
    private static final String A = "cn=A,ou=Staff," + TestDirectory.BASE;
    private static final String B = "cn=B,ou=Staff," + TestDirectory.BASE;
    private static final String C = "cn=C,ou=Lab," + TestDirectory.BASE;
    private static final String D = "cn=D,ou=Lab," + TestDirectory.BASE;

    @TempDir
    Path dir;
    TestDirectory ldap;
    DirectoryModule module;

    @BeforeEach
    void setUp() throws Exception {
        ldap = new TestDirectory().withSampleData();
        ldap.server.add(TestDirectory.group("B", "ou=Staff", ALICE));
        ldap.server.add(TestDirectory.group("A", "ou=Staff", B, BOB));
        ldap.server.add(TestDirectory.group("D", "ou=Lab", CAROL, C));
        ldap.server.add(TestDirectory.group("C", "ou=Lab", D, ALICE));
        // The in-memory server does not maintain memberOf: alice's direct groups are found by search.
        ldap.server.modify(ALICE, new Modification(ModificationType.DELETE, "memberOf"));
    }

    @AfterEach
    void tearDown() {
        if (module != null) {
            module.stop();
        }
        ldap.close();
    }

    private void start(String nesting) throws Exception {
        module = new DirectoryModule();
        module.start(TestContexts.create(ldap.config(Map.of("profile.corp.nestedGroups", nesting)),
                TestDirectory.secrets(), dir));
    }

    private JsonNode run(String action, String args) throws Exception {
        var r = module.actions().get(action).execute(new Command("c", "directory", action, args, Duration.ofSeconds(30)));
        return Json.MAPPER.readTree(r.payload());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aUsersGroupsIncludeTheGroupsOfItsGroups() throws Exception {
        start("expand");
        List<String> alice = texts(run("lookupUser", "{\"username\":\"alice\"}").get("groups"));
        assertEquals(Set.of("cn=Admins,ou=Staff," + TestDirectory.BASE, B, C), Set.copyOf(alice.subList(0, 3)),
                "direct groups first: " + alice);
        assertTrue(alice.containsAll(List.of(A, D)), alice.toString());
        assertEquals(5, alice.size(), "each group once: " + alice);
        JsonNode auth = run("authenticate", "{\"username\":\"alice\",\"password\":\"Alice-Pw-1\",\"groups\":true}");
        assertTrue(auth.get("authenticated").asBoolean());
        assertEquals(alice, texts(auth.get("groups")));
    }

    @Test
    void aCycleEndsWithEachGroupOnce() throws Exception {
        start("expand");
        List<String> carol = texts(run("lookupUser", "{\"username\":\"carol\"}").get("groups"));
        assertTrue(carol.containsAll(List.of(D, C)), carol.toString());
        assertEquals(3, carol.size(), "Admins, D and C, each once: " + carol);
    }

    @Test
    void aServerWithoutTheInChainRuleIsExpandedLevelByLevel() throws Exception {
        start("inChain");
        List<String> alice = texts(run("lookupUser", "{\"username\":\"alice\"}").get("groups"));
        assertTrue(alice.containsAll(List.of(A, B, C, D)), alice.toString());
        assertEquals(List.of(BOB, ALICE), texts(run("groupMembers", "{\"group\":\"A\",\"nested\":true}").get("members")));
    }

    @Test
    void directModeStopsAtTheFirstLevel() throws Exception {
        start("direct");
        List<String> alice = texts(run("lookupUser", "{\"username\":\"alice\"}").get("groups"));
        assertTrue(alice.contains(B));
        assertFalse(alice.contains(A), alice.toString());
    }

    @Test
    void nestedMembersResolveToUsersThroughCycles() throws Exception {
        start("expand");
        JsonNode a = run("groupMembers", "{\"group\":\"A\",\"nested\":true}");
        assertEquals(List.of(BOB, ALICE), texts(a.get("members")));
        assertTrue(a.get("nested").asBoolean());
        assertFalse(a.get("truncated").asBoolean());
        JsonNode c = run("groupMembers", "{\"group\":\"" + C + "\",\"nested\":true}");
        assertEquals(List.of(ALICE, CAROL), texts(c.get("members")));
        JsonNode page = run("groupMembers", "{\"group\":\"C\",\"nested\":true,\"offset\":1,\"limit\":1}");
        assertEquals(List.of(CAROL), texts(page.get("members")));
        assertFalse(page.get("more").asBoolean());
        assertEquals(List.of(B, BOB), texts(run("groupMembers", "{\"group\":\"A\"}").get("members")),
                "without nested, the direct members as stored");
    }
}
