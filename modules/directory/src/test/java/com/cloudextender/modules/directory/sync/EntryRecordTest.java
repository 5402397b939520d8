package com.cloudextender.modules.directory.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.directory.config.DirectoryConfig;
import com.cloudextender.modules.directory.lookup.EntryJson;
import com.cloudextender.modules.directory.mapping.UserObject;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntryRecordTest {
    private static final String BASE = "dc=example,dc=test";

    private static SyncQuery query() {
        Map<String, String> c = Map.of("profiles", "corp", "profile.corp.type", "openLdap",
                "profile.corp.servers", "ldap://127.0.0.1:1", "profile.corp.bindDn", "cn=reader," + BASE,
                "profile.corp.bindPassword", "x", "profile.corp.baseDn", BASE, "sync.profiles", "corp",
                "sync.corp.includeOus", "ou=Staff," + BASE);
        DirectoryConfig config = DirectoryConfig.read(new ModuleConfig(c, Set.of("profile.corp.bindPassword")));
        return SyncQuery.of(config.profile("corp").orElseThrow(), config.sync().profiles().get("corp"), 100);
    }

    /** Values that need escaping or are not ASCII, and several values for one attribute. */
    private static Entry user() {
        return new Entry("uid=zoë,ou=Staff," + BASE, new Attribute("objectClass", "top", "inetOrgPerson"),
                new Attribute("uid", "zoë"), new Attribute("cn", "Zoë \"Z\" O'Brien\\ \t"),
                new Attribute("mail", "zoe@example.test", "z@example.test"), new Attribute("sn", "Ö\u0001"),
                new Attribute("displayName", "Plain \"quoted\" back\\slash\ttab\u0001 </script>"),
                new Attribute("entryUUID", "7f0c5a9e-1111-4c1e-9d8a-000000000001"));
    }

    @Test
    void theContentIsByteForByteTheTreeEarlierVersionsDigestedSoStoredBaselinesStayValid() throws Exception {
        SyncQuery q = query();
        Entry e = user();
        String id = "7f0c5a9e-1111-4c1e-9d8a-000000000001";
        // The record as earlier versions built it: a tree written by the module's mapper.
        ObjectNode tree = Json.object();
        tree.put("type", "user");
        tree.put("id", id);
        tree.put("enabled", true);
        tree.put("locked", false);
        tree.set("attributes", EntryJson.attributes(e, q.scope().userAttributes(), q.profile()));
        tree.set("user", UserObject.of(e, q.profile()));

        EntryRecord r = EntryRecord.of(e, id, q.profile(), q.scope(), null, new RecordEncoder());

        assertEquals(Json.text(tree), new String(r.content(), StandardCharsets.UTF_8));
        assertTrue(Json.text(tree).contains("\"displayName\":\"Plain \\\"quoted\\\" back\\\\slash\\t"), Json.text(tree));
        byte[] expected = Baseline.sha256(Json.text(tree).getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(r.contentDigest()));
    }

    @Test
    void oneEncoderWritesSuccessiveRecordsWithoutCarryingAnythingOver() throws Exception {
        SyncQuery q = query();
        RecordEncoder encoder = new RecordEncoder();
        Entry ou = new Entry("ou=Staff," + BASE, new Attribute("objectClass", "organizationalUnit"),
                new Attribute("ou", "Staff"));
        EntryRecord first = EntryRecord.of(ou, "ou-1", q.profile(), q.scope(), null, encoder);
        EntryRecord second = EntryRecord.of(user(), "u-1", q.profile(), q.scope(), null, encoder);
        EntryRecord again = EntryRecord.of(ou, "ou-1", q.profile(), q.scope(), null, encoder);

        assertEquals("{\"type\":\"ou\",\"id\":\"ou-1\",\"name\":\"Staff\"}", new String(first.content(), StandardCharsets.UTF_8));
        assertEquals(EntryKind.USER, second.kind());
        assertEquals(new String(first.content(), StandardCharsets.UTF_8), new String(again.content(), StandardCharsets.UTF_8));
        assertNotEquals(HexFormat.of().formatHex(first.contentDigest()), HexFormat.of().formatHex(second.contentDigest()));
    }

    @Test
    void theKindComesFromTheObjectClassesIgnoringCase() {
        SyncQuery q = query();
        assertEquals(EntryKind.GROUP, EntryRecord.kindOf(new Entry("cn=g," + BASE,
                new Attribute("objectClass", "top", "GROUPOFNAMES")), q.profile()));
        assertEquals(EntryKind.OU, EntryRecord.kindOf(new Entry("cn=c," + BASE,
                new Attribute("objectClass", "top", "Container")), q.profile()));
        assertEquals(EntryKind.USER, EntryRecord.kindOf(new Entry("uid=u," + BASE,
                new Attribute("objectClass", "top", "inetOrgPerson")), q.profile()));
        assertEquals(EntryKind.USER, EntryRecord.kindOf(new Entry("uid=u," + BASE), q.profile()));
    }
}
