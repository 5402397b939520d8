package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.testing.TestContexts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.ChunkUploader;
import com.cloudextender.modules.directory.config.DirectoryConfig;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangesTest {
    private static final String BASE = "dc=example,dc=test";
    private static final String STAFF = "ou=Staff," + BASE;
    private static final String LAB = "ou=Lab," + BASE;
    private static final String HIDDEN = "ou=Hidden,ou=Staff," + BASE;

    @TempDir
    Path dir;

    private static SyncQuery query(String excludes) {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "corp");
        c.put("profile.corp.type", "openLdap");
        c.put("profile.corp.servers", "ldap://127.0.0.1:1");
        c.put("profile.corp.bindDn", "cn=reader," + BASE);
        c.put("profile.corp.bindPassword", "x");
        c.put("profile.corp.baseDn", BASE);
        c.put("sync.profiles", "corp");
        c.put("sync.corp.includeOus", STAFF + ";" + LAB);
        c.put("sync.corp.excludeOus", excludes);
        DirectoryConfig config = DirectoryConfig.read(new ModuleConfig(c, Set.of("profile.corp.bindPassword")));
        return SyncQuery.of(config.profile("corp").orElseThrow(), config.sync().profiles().get("corp"), 100);
    }

    private static SearchResultEntry user(String uid, String parent, String id, String mail) {
        return new SearchResultEntry(new Entry("uid=" + uid + "," + parent, new Attribute("objectClass", "inetOrgPerson"),
                new Attribute("uid", uid), new Attribute("mail", mail), new Attribute("entryUUID", id)));
    }

    /** The baseline value the sync stores for {@code entry}. */
    private static byte[] baselineOf(SyncQuery q, SearchResultEntry entry, String id) throws Exception {
        EntryRecord r = EntryRecord.of(entry, id, q.profile(), q.scope(), null);
        return Baseline.value(r.kind(), r.dn(), r.contentDigest());
    }

    private Changes changes(SyncQuery q, Map<String, byte[]> baseline, FakeModuleContext context) {
        ChunkUploader chunks = new ChunkUploader(context.uploads, dir.resolve("chunks"), "t-", Json.object(), 100, 1 << 20);
        return new Changes(q, baseline::get, false, chunks, null, new Progress("corp"));
    }

    @Test
    void classifiesAgainstTheBaselineAndTurnsExplicitAndOutOfScopeDeletionsIntoDeletions() throws Exception {
        SyncQuery q = query(HIDDEN);
        FakeModuleContext context = TestContexts.create(Map.of("profiles", "x"), Set.of(), dir);
        Map<String, byte[]> baseline = new HashMap<>();
        baseline.put("id-mod", baselineOf(q, user("mod", STAFF, "id-mod", "old@x"), "id-mod"));
        baseline.put("id-del", baselineOf(q, user("del", STAFF, "id-del", "d@x"), "id-del"));
        baseline.put("id-hide", baselineOf(q, user("hide", STAFF, "id-hide", "h@x"), "id-hide"));
        baseline.put("id-same", baselineOf(q, user("same", STAFF, "id-same", "s@x"), "id-same"));
        baseline.put("id-untouched", baselineOf(q, user("u", LAB, "id-untouched", "u@x"), "id-untouched"));
        Changes c = changes(q, baseline, context);

        c.entry(user("mod", STAFF, "id-mod", "new@x"));
        c.entry(user("new", LAB, "id-new", "n@x"));
        c.entry(user("hide", HIDDEN, "id-hide", "h@x")); // moved into an excluded subtree
        c.present("id-same");
        c.deleted("id-del");
        c.deleted("id-never-synchronised");

        assertEquals(1, c.counts().modified);
        assertEquals(1, c.counts().added);
        assertEquals(Set.of("id-del", "id-hide"), c.deletions().keySet());
        assertEquals(Set.of(Baseline.prefix("corp") + "id-mod", Baseline.prefix("corp") + "id-new"),
                c.puts().keySet());
        // What a complete read would count as gone: neither reported nor present, nor deleted already.
        assertEquals(Set.of("id-untouched"), baseline.keySet().stream()
                .filter(id -> !c.reported(id) && !c.deletions().containsKey(id)).collect(Collectors.toSet()));
    }

    @Test
    void theDnInAnUpsertLineIsTheTextJacksonWritesPlainOrEscaped() throws Exception {
        SyncQuery q = query("");
        FakeModuleContext context = TestContexts.create(Map.of("profiles", "x"), Set.of(), dir);
        ChunkUploader chunks = new ChunkUploader(context.uploads, dir.resolve("chunks"), "t-", Json.object(), 100, 1 << 20);
        Changes c = new Changes(q, id -> null, true, chunks, null, new Progress("corp"));
        List<String> uids = List.of("plain", "quote\\\"d", "back\\\\slash", "zoë", "tab\t", "del\u007f");
        for (int i = 0; i < uids.size(); i++) {
            c.entry(user(uids.get(i), STAFF, "id-" + i, "m@x"));
        }
        chunks.finish();
        List<String> lines = new java.util.ArrayList<>();
        for (Path f : context.uploads.stored) {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(
                    new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(f)), StandardCharsets.UTF_8))) {
                r.lines().filter(l -> l.contains("\"upsert\"")).forEach(lines::add);
            }
        }
        assertEquals(uids.size(), lines.size());
        for (int i = 0; i < uids.size(); i++) {
            String dn = user(uids.get(i), STAFF, "id-" + i, "m@x").getDN();
            String start = "{\"op\":\"upsert\",\"change\":\"add\",\"dn\":" + Json.MAPPER.writeValueAsString(dn) + ",";
            assertTrue(lines.get(i).startsWith(start), lines.get(i));
        }
    }

    @Test
    void anEntryReportedThenDeletedInOneReadIsADeletionNotAnAdd() throws Exception {
        SyncQuery q = query("");
        FakeModuleContext context = TestContexts.create(Map.of("profiles", "x"), Set.of(), dir);
        Changes c = changes(q, new HashMap<>(), context);
        SearchResultEntry e = user("brief", STAFF, "id-brief", "b@x");
        c.entry(e);
        c.deleted("id-brief");
        assertTrue(c.puts().isEmpty(), c.puts().toString());
        assertArrayEquals(baselineOf(q, e, "id-brief"), c.deletions().get("id-brief"));
    }

    @Test
    void anUnchangedEntryReportedThenDeletedInOneReadIsADeletion() throws Exception {
        SyncQuery q = query("");
        FakeModuleContext context = TestContexts.create(Map.of("profiles", "x"), Set.of(), dir);
        SearchResultEntry e = user("same", STAFF, "id-same", "s@x");
        Map<String, byte[]> baseline = new HashMap<>(Map.of("id-same", baselineOf(q, e, "id-same")));
        Changes c = changes(q, baseline, context);
        c.entry(e);
        c.deleted("id-same");
        c.deleted("id-same"); // reported twice (delete phase and syncIdSet): one deletion
        assertTrue(c.puts().isEmpty(), c.puts().toString());
        assertEquals(Set.of("id-same"), c.deletions().keySet());
        assertArrayEquals(baseline.get("id-same"), c.deletions().get("id-same"));
    }

    @Test
    void searchBaseIsTheClosestEntryAboveEveryIncludedSubtree() throws Exception {
        assertEquals(new DN(BASE), query("").searchBase());
        assertTrue(query("").inScope(new DN("uid=a," + LAB)));
        assertTrue(!query(HIDDEN).inScope(new DN("uid=a," + HIDDEN)));
        assertTrue(!query("").inScope(new DN("uid=a,ou=Elsewhere," + BASE)));
    }

    @Test
    void theFingerprintChangesWithTheScopeSoStoredPositionsAreNotReused() {
        assertEquals(query("").fingerprint(), query("").fingerprint());
        assertNotEquals(query("").fingerprint(), query(HIDDEN).fingerprint());
    }
}
