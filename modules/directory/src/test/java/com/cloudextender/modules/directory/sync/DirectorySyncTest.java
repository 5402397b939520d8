package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.testing.TestContexts;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {
    private static final String ALICE = "cn=alice,ou=Staff," + TestDirectory.BASE;
    private static final String BOB = "cn=bob,ou=Staff," + TestDirectory.BASE;
    private static final String CAROL = "cn=carol,ou=Lab," + TestDirectory.BASE;

    @TempDir
    Path dir;
    TestDirectory ldap;
    DirectoryModule module;
    FakeModuleContext context;
    int read;

    @BeforeEach
    void setUp() throws Exception {
        ldap = new TestDirectory().withSampleData();
    }

    @AfterEach
    void tearDown() {
        if (module != null) {
            module.stop();
        }
        ldap.close();
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("sync.profiles", "corp");
        c.put("sync.corp.excludeOus", "ou=Service," + TestDirectory.BASE);
        c.put("sync.deleteThreshold", "2");
        c.put("sync.deleteThresholdPercent", "0");
        c.put("sync.pageSize", "2");
        c.putAll(extra);
        context = TestContexts.create(ldap.config(c), TestDirectory.secrets(), dir);
        module = new DirectoryModule();
        module.start(context);
    }

    private JsonNode run(String action, String args) throws Exception {
        var r = module.actions().get(action).execute(new Command("c", "directory", action, args, Duration.ofMinutes(1)));
        return Json.MAPPER.readTree(r.payload()).path("profiles").path(0);
    }

    /** The records uploaded since the last call, chunk headers left out. */
    private List<JsonNode> uploaded() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        List<Path> files = context.uploads.stored;
        for (; read < files.size(); read++) {
            for (JsonNode n : lines(files.get(read))) {
                if (!n.get("op").asText().equals("chunk") && !n.get("op").asText().equals("end")) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    private static List<JsonNode> lines(Path gz) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(Json.MAPPER.readTree(line));
            }
        }
        return out;
    }

    private static JsonNode only(List<JsonNode> records) {
        assertEquals(1, records.size(), records.toString());
        return records.get(0);
    }

    @Test
    void firstRunSendsEverythingThenOnlyChanges() throws Exception {
        start(Map.of());
        JsonNode first = run("sync", "{}");
        List<JsonNode> snapshot = uploaded();
        // OUs Staff and Lab, users alice, bob, carol, group Admins (ou=Service is excluded).
        assertEquals(6, first.get("added").asInt(), first.toString());
        assertEquals("full", first.get("mode").asText(), "the first sync, without a baseline, is a full snapshot");
        assertEquals("\"full\"", context.uploads.stored.isEmpty() ? "" : lines(context.uploads.stored.get(0)).get(0)
                .get("mode").toString(), "and its chunks say so");
        assertEquals("pagedScan", first.get("method").asText(), "the in-memory server offers no content sync");
        assertEquals(6, snapshot.stream().filter(n -> n.get("op").asText().equals("upsert")).count());
        JsonNode bob = snapshot.stream().filter(n -> BOB.equals(n.path("dn").asText())).findFirst().orElseThrow();
        assertEquals(false, bob.get("enabled").asBoolean());
        String carolId = snapshot.stream().filter(n -> CAROL.equals(n.path("dn").asText())).findFirst().orElseThrow()
                .get("id").asText();
        String bobId = bob.get("id").asText();

        JsonNode quiet = run("sync", "{}");
        assertEquals(0, quiet.get("chunks").size());
        assertEquals("delta", quiet.get("mode").asText());
        assertEquals(7, quiet.get("entries").asInt(), "read, the excluded ou=Service included");

        ldap.server.modify(ALICE, new Modification(ModificationType.REPLACE, "mail", "alice.new@corp.test"));
        JsonNode modified = only(uploaded(run("sync", "{}")));
        assertEquals("modify", modified.get("change").asText());
        assertEquals("alice.new@corp.test", modified.get("attributes").get("mail").asText());

        ldap.server.modifyDN(CAROL, "cn=carol", true, "ou=Staff," + TestDirectory.BASE);
        JsonNode moved = only(uploaded(run("sync", "{}")));
        assertEquals("move", moved.get("change").asText());
        assertEquals(carolId, moved.get("id").asText());
        assertEquals("cn=carol,ou=Staff," + TestDirectory.BASE, moved.get("dn").asText());

        ldap.server.delete(BOB);
        JsonNode deleted = only(uploaded(run("sync", "{}")));
        assertEquals("delete", deleted.get("op").asText());
        assertEquals(bobId, deleted.get("id").asText());
        assertEquals("user", deleted.get("type").asText());

        JsonNode full = run("resync", "{}");
        assertEquals("full", full.get("mode").asText());
        assertEquals(5, upserts(uploaded()));
    }

    @Test
    void userRecordsCarryTheMappedUserAndAMappedChangeIsAModify() throws Exception {
        start(Map.of("profile.corp.map.custom.costCenter", "departmentNumber"));
        run("sync", "{}");
        JsonNode alice = uploaded().stream().filter(n -> ALICE.equals(n.path("dn").asText())).findFirst().orElseThrow();
        assertEquals("alice", alice.get("user").get("userName").asText());
        assertEquals("CORP", alice.get("user").get("domain").asText());
        // Neither attribute is among the synchronised userAttributes: only the mapping carries them.
        ldap.server.modify(ALICE, new Modification(ModificationType.ADD, "telephoneNumber", "+41 44 000 00 01"),
                new Modification(ModificationType.ADD, "departmentNumber", "4711"));
        JsonNode modified = only(uploaded(run("sync", "{}")));
        assertEquals("modify", modified.get("change").asText());
        assertEquals("+41 44 000 00 01", modified.get("user").get("phone").asText());
        assertEquals("4711", modified.get("user").get("custom").get("costCenter").asText());
    }

    private List<JsonNode> uploaded(JsonNode ignoredReport) throws Exception {
        return uploaded();
    }

    @Test
    void aFailedUploadLeavesTheBaselineAndTheNextRunResendsTheChanges() throws Exception {
        start(Map.of("sync.chunkEntries", "1"));
        run("sync", "{}");
        uploaded();
        ldap.server.modify(ALICE, new Modification(ModificationType.REPLACE, "mail", "a2@corp.test"));
        ldap.server.modify(BOB, new Modification(ModificationType.REPLACE, "mail", "b2@corp.test"));
        Map<String, String> before = context.state.snapshot();
        context.uploads.failUpload(2);
        CommandException e = assertThrows(CommandException.class, () -> run("sync", "{}"));
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertEquals(before, context.state.snapshot());
        uploaded();
        JsonNode again = run("sync", "{}");
        assertEquals(2, again.get("modified").asInt());
        assertEquals(2, uploaded().size());
    }

    @Test
    void aDirectoryErrorHalfwayLeavesTheBaseline() throws Exception {
        start(Map.of("sync.chunkEntries", "1"));
        run("sync", "{}");
        ldap.server.modify(ALICE, new Modification(ModificationType.REPLACE, "mail", "a3@corp.test"));
        Map<String, String> before = context.state.snapshot();
        ldap.failNextPage.set(true);
        assertThrows(CommandException.class, () -> run("sync", "{}"));
        assertEquals(before, context.state.snapshot());
        ldap.failNextPage.set(false);
        uploaded();
        assertEquals(1, run("sync", "{}").get("modified").asInt());
    }

    @Test
    void deletionsOverTheThresholdAreHeldUntilAllowed() throws Exception {
        start(Map.of());
        run("sync", "{}");
        uploaded();
        ldap.server.delete(ALICE);
        ldap.server.delete(BOB);
        ldap.server.delete(CAROL);
        JsonNode held = run("sync", "{}");
        assertEquals(3, held.get("heldDeletes").asInt());
        assertEquals(0, held.get("deleted").asInt());
        assertTrue(uploaded().stream().noneMatch(n -> n.get("op").asText().equals("delete")));
        assertEquals(3, run("heldDeletes", "{}").get("count").asInt());
        assertEquals(3, run("sync", "{}").get("heldDeletes").asInt(), "still held on the next run");

        JsonNode allowed = run("allowDeletes", "{\"profile\":\"corp\"}");
        assertEquals(3, allowed.get("deleted").asInt());
        assertEquals(3, uploaded().stream().filter(n -> n.get("op").asText().equals("delete")).count());
        assertEquals(0, run("heldDeletes", "{}").get("count").asInt());
        assertEquals(0, run("sync", "{}").get("deleted").asInt());
    }

    @Test
    void aFullRunEndsBySayingWhetherItHoldsEveryObjectAndADeltaDoesNot() throws Exception {
        start(Map.of("sync.chunkEntries", "2"));
        run("sync", "{}");
        assertEquals("{\"op\":\"end\",\"complete\":true}", Json.text(lastLine()),
                "a complete full read: the cloud may drop what the run did not upsert");
        ldap.server.modify(ALICE, new Modification(ModificationType.REPLACE, "mail", "a4@corp.test"));
        int before = context.uploads.stored.size();
        run("sync", "{}");
        for (int i = before; i < context.uploads.stored.size(); i++) {
            assertTrue(lines(context.uploads.stored.get(i)).stream().noneMatch(n -> n.get("op").asText().equals("end")),
                    "a delta says what changed, and has no end record");
        }
        ldap.server.delete(ALICE);
        ldap.server.delete(BOB);
        ldap.server.delete(CAROL);
        assertEquals(3, run("resync", "{}").get("heldDeletes").asInt());
        assertEquals("{\"op\":\"end\",\"complete\":false}", Json.text(lastLine()),
                "deletions held back: the cloud must not drop them on its own either");
    }

    private JsonNode lastLine() throws Exception {
        List<JsonNode> last = lines(context.uploads.stored.get(context.uploads.stored.size() - 1));
        return last.get(last.size() - 1);
    }

    @Test
    void aSyncOnRequestRunsOnlyUnderTheLeaseAndFollowsItsRule() throws Exception {
        start(Map.of());
        run("sync", "{}");
        uploaded();
        // Another extender of the customer holds the lease: it syncs, this one must not upload alongside it.
        context.scheduler.leases.put(DirectorySync.LEASE, java.util.Optional.empty());
        CommandException refused = assertThrows(CommandException.class, () -> run("sync", "{}"));
        assertEquals(ErrorCode.MODULE_FAILURE, refused.code());
        assertTrue(refused.getMessage().contains("holds lease " + DirectorySync.LEASE), refused.getMessage());
        assertEquals(List.of(), uploaded(), "nothing uploaded");
        CommandException notHere = assertThrows(CommandException.class, () -> run("allowDeletes", "{}"));
        assertTrue(notHere.getMessage().contains("holds lease " + DirectorySync.LEASE), notHere.getMessage());

        // The lease moved here under a new generation: the first run is full, as a scheduled one would be.
        context.scheduler.leases.put(DirectorySync.LEASE, java.util.Optional.of(new TestLease(4)));
        JsonNode first = run("sync", "{}");
        assertEquals("full", first.get("mode").asText(), "another holder may have uploaded in between");
        assertEquals("delta", run("sync", "{}").get("mode").asText(), "then deltas under the same generation");
    }

    /** A lease held under a fixed generation. */
    private record TestLease(long generation) implements com.cloudextender.api.ModuleScheduler.Lease {
        @Override
        public String name() {
            return DirectorySync.LEASE;
        }

        @Override
        public boolean held() {
            return true;
        }
    }

    @Test
    void aLargeGroupSpansSeveralChunks() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            members.add("cn=u" + i + ",ou=Staff," + TestDirectory.BASE);
        }
        ldap.server.add(TestDirectory.group("Everyone", "ou=Lab", members.toArray(String[]::new)));
        start(Map.of("sync.chunkEntries", "2"));
        JsonNode report = run("sync", "{}");
        assertTrue(report.get("chunks").size() >= 5, report.toString());
        for (Path chunk : context.uploads.stored) {
            List<JsonNode> lines = lines(chunk);
            assertEquals("chunk", lines.get(0).get("op").asText());
            assertTrue(lines.size() <= 3, "header plus at most two records");
        }
        List<String> got = new ArrayList<>();
        uploaded().stream().filter(n -> n.get("op").asText().equals("members") && n.get("members").size() > 2)
                .forEach(n -> n.get("members").forEach(m -> got.add(m.asText())));
        assertEquals(members.stream().sorted().toList(), got);
    }

    @Test
    void theSyncIsScheduledByInterval() throws Exception {
        start(Map.of("sync.interval", "10m"));
        assertEquals(List.of("directory sync", "directory deletion sweep"),
                context.scheduler.active().stream().map(t -> t.name).toList());
        assertEquals(java.time.Duration.ofMinutes(10), context.scheduler.active().get(0).delay);
        assertEquals(java.time.Duration.ofHours(1), context.scheduler.active().get(1).delay, "sync.deletionSweep");
        context.scheduler.active().get(0).run();
        assertEquals(6, upserts(uploaded()));
        context.scheduler.active().get(1).run();
        assertEquals(List.of(), uploaded(), "no sweep where deletions are visible (not Active Directory)");
        module.stop();
        start(Map.of("sync.interval", "0s", "sync.deletionSweep", "0s"));
        assertEquals(List.of(), context.scheduler.active(), "both schedules off");
    }

    private static long upserts(List<JsonNode> records) {
        return records.stream().filter(n -> n.get("op").asText().equals("upsert")).count();
    }
}
