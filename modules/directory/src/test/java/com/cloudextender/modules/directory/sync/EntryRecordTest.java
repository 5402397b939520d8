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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntryRecordTest {
    private static final String BASE = "dc=example,dc=test";

    private static SyncQuery query() {
        return query(Map.of());
    }

    /** The openLdap profile "corp", syncing ou=Staff, with {@code extra} keys added or replaced. */
    private static SyncQuery query(Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of("profiles", "corp", "profile.corp.type", "openLdap",
                "profile.corp.servers", "ldap://127.0.0.1:1", "profile.corp.bindDn", "cn=reader," + BASE,
                "profile.corp.bindPassword", "x", "profile.corp.baseDn", BASE, "sync.profiles", "corp",
                "sync.corp.includeOus", "ou=Staff," + BASE));
        c.putAll(extra);
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

    /**
     * The exact bytes of a user's record, pinned: stored baselines hold their digests, so a change to how
     * attributes or user fields are written would report every user as modified after an upgrade. Covers a
     * field mapped to the id attribute, a field whose attribute is absent, the domain from the DN, custom
     * fields with one value, several values and none, attribute names in the server's case, memberOf left
     * out, a value that is not UTF-8 (base64; earlier versions wrote it as lossy text, so such an entry
     * reports one modify after an upgrade), and values that need escaping.
     */
    @Test
    void aUsersRecordIsPinnedByteForByte() throws Exception {
        SyncQuery q = query(Map.of("profile.corp.map.employeeId", "entryUUID",
                "profile.corp.map.phone", "telephoneNumber",
                "profile.corp.map.custom.aliases", "otherMailbox",
                "profile.corp.map.custom.photo", "jpegPhoto",
                "profile.corp.map.custom.room", "roomNumber",
                "profile.corp.map.custom.uuid", "ENTRYUUID",
                "profile.corp.map.custom.absent", "carLicense",
                "sync.corp.userAttributes", "uid,CN,mail,memberOf,entryUUID,jpegPhoto,sn,displayName,absentOne"));
        Entry e = user();
        e.addAttribute(new Attribute("otherMailbox", "a@one.test", "a@two.test"));
        e.addAttribute(new Attribute("roomNumber", "B 12"));
        e.addAttribute(new Attribute("jpegPhoto", new byte[] {(byte) 0xff, (byte) 0xd8, 0x00, 0x41}));
        e.addAttribute(new Attribute("memberOf", "cn=g," + BASE));

        EntryRecord r = EntryRecord.of(e, "7f0c5a9e-1111-4c1e-9d8a-000000000001", q.profile(), q.scope(), null,
                new RecordEncoder());

        String text = new String(r.content(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"employeeId\":\"7f0c5a9e-1111-4c1e-9d8a-000000000001\",\"custom\":{\"aliases\":"
                + "[\"a@one.test\",\"a@two.test\"],\"photo\":\"/9gAQQ==\",\"room\":\"B 12\",\"uuid\":"), text);
        // A value that is not UTF-8 is sent in base64 in both places, not as text with its bytes replaced.
        assertTrue(text.contains("\"jpegPhoto\":\"/9gAQQ==\",\"sn\""), text);
        assertEquals("af278821044edcdc97f540899367be24fbbda91fbafc60b3cae5346e92688fe3", HexFormat.of().formatHex(Baseline.sha256(r.content())), text);
    }

    /** Each writer keeps the last profile's resolved mapping: profiles used in turn must not see each other's. */
    @Test
    void profilesWrittenInTurnEachKeepTheirOwnMapping() {
        SyncQuery plain = query();
        var mapped = query(Map.of("profile.corp.domain", "CORP", "profile.corp.map.email", "",
                "profile.corp.map.employeeId", "entryUUID", "profile.corp.map.custom.name", "cn")).profile();
        Entry e = user();

        for (int round = 0; round < 2; round++) {
            ObjectNode a = UserObject.of(e, plain.profile());
            ObjectNode b = UserObject.of(e, mapped);
            assertEquals("zoe@example.test", a.path("email").asText(), a.toString());
            assertEquals("example.test", a.path("domain").asText(), a.toString());
            assertTrue(a.path("custom").isEmpty(), a.toString());
            assertTrue(b.path("email").isMissingNode(), b.toString());
            assertEquals("CORP", b.path("domain").asText(), b.toString());
            assertEquals("7f0c5a9e-1111-4c1e-9d8a-000000000001", b.path("employeeId").asText(), b.toString());
            assertEquals("Zoë \"Z\" O'Brien\\ \t", b.path("custom").path("name").asText(), b.toString());

            ObjectNode all = EntryJson.attributes(e, plain.scope().userAttributes(), plain.profile());
            ObjectNode two = EntryJson.attributes(e, List.of("MAIL", "memberOf", "uid"), mapped);
            assertTrue(all.has("displayName") && all.has("sn"), all.toString());
            List<String> names = new ArrayList<>();
            two.fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("mail", "uid"), names, "memberOf is left to the groups list");
        }
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
