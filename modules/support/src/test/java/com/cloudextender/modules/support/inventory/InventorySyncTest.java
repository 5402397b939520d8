package com.cloudextender.modules.support.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.lease.NotLeaseHolderException;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventorySyncTest {
    record Thing(String id, String colour) {
    }

    static final ItemFormat<Thing> FORMAT = new ItemFormat<>() {
        @Override
        public String id(Thing t) {
            return t.id();
        }

        @Override
        public void writeFields(Thing t, com.fasterxml.jackson.core.JsonGenerator out) throws IOException {
            out.writeStringField("colour", t.colour());
        }
    };

    @TempDir
    Path dir;

    /** A complete-read source over a mutable map. */
    final Map<String, String> server = new LinkedHashMap<>();
    final InventorySource<Thing> completeSource = (full, position, sink) -> {
        for (var e : server.entrySet()) {
            sink.item(new Thing(e.getKey(), e.getValue()));
        }
        return ReadResult.completeRead("completeRead");
    };

    FakeModuleContext context() {
        return new FakeModuleContext("test", ModuleConfig.empty(), dir);
    }

    InventorySync<Thing> sync(FakeModuleContext c, InventorySource<Thing> source, int chunkRecords, int threshold,
                              int percent) {
        return new InventorySync<>(new InventorySettings("test", "things", chunkRecords, 1 << 20, threshold, percent),
                source, FORMAT, c);
    }

    static List<JsonNode> lines(FakeModuleContext c, int upload) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(c.uploads.stored.get(upload)))) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                out.add(Json.MAPPER.readTree(l));
            }
        }
        return out;
    }

    static List<JsonNode> allRecords(FakeModuleContext c, int fromUpload) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (int i = fromUpload; i < c.uploads.stored.size(); i++) {
            lines(c, i).stream().filter(n -> !n.get("op").asText().equals("chunk") && !n.get("op").asText().equals("end"))
                    .forEach(out::add);
        }
        return out;
    }

    /** A lease whose generation and hold the test sets. */
    static final class TestLease implements com.cloudextender.api.ModuleScheduler.Lease {
        volatile long generation;
        volatile boolean held = true;

        TestLease(long generation) {
            this.generation = generation;
        }

        @Override
        public String name() {
            return "test.things";
        }

        @Override
        public long generation() {
            return generation;
        }

        @Override
        public boolean held() {
            return held;
        }
    }

    @Test
    void underALeaseTheFirstRunOfAGenerationIsFullAndLaterOnesAreDeltas() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 1000, 0, 0);
        server.put("a", "red");
        server.put("b", "green");
        TestLease lease = new TestLease(3);
        s.runScheduled(lease);
        assertEquals(1, c.uploads.stored.size());
        s.runScheduled(lease);
        assertEquals(1, c.uploads.stored.size(), "same generation, nothing changed: a delta with nothing to send");

        // Another extender held the lease meanwhile (generation 4 went to it); this one takes it back as 5.
        lease.generation = 5;
        s.runScheduled(lease);
        assertEquals(2, c.uploads.stored.size(), "a new generation: a full run");
        assertEquals("full", lines(c, 1).get(0).get("mode").asText());
        assertEquals(2, allRecords(c, 1).size(), "every item again, keyed by id, so the cloud's copy converges");
    }

    @Test
    void aRunOnRequestNeedsTheLeaseAndIsFullUnderANewGeneration() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 1000, 0, 0);
        server.put("a", "red");
        s.run(true);
        c.scheduler.leases.put("test.things", java.util.Optional.empty());
        NotLeaseHolderException e = assertThrows(NotLeaseHolderException.class, () -> s.runOnRequest(false,
                "test.things"));
        assertTrue(e.getMessage().contains("holds lease test.things"), e.getMessage());
        assertEquals(1, c.uploads.stored.size(), "nothing uploaded by an extender that does not hold the lease");

        c.scheduler.leases.put("test.things", java.util.Optional.of(new TestLease(7)));
        assertTrue(s.runOnRequest(false, "test.things").full(), "a new generation: full, as a scheduled run");
        assertEquals(false, s.runOnRequest(false, "test.things").full());
    }

    @Test
    void aLostLeaseStopsTheRunAtTheNextChunkAndCommitsNothing() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 1, 0, 0);
        for (int i = 0; i < 5; i++) {
            server.put("i" + i, "red");
        }
        TestLease lease = new TestLease(2);
        var before = c.state.snapshot();
        // The sink's thread uploads chunk after chunk; the lease is lost once the first one is stored.
        c.uploads.afterUpload = () -> lease.held = false;
        s.runScheduled(lease);
        assertTrue(c.uploads.stored.size() < 5, "stopped before the last chunk: " + c.uploads.stored.size());
        assertEquals(before, c.state.snapshot(), "neither the baseline nor the lease generation moved");

        c.uploads.afterUpload = () -> { };
        lease.held = true;
        s.runScheduled(lease);
        assertEquals(5, allRecords(c, 0).stream().filter(n -> n.get("change") != null
                && n.get("change").asText().equals("add")).map(n -> n.get("id").asText()).distinct().count());
        assertTrue(c.state.snapshot().containsKey("lease/test.things/generation"));
    }

    @Test
    void aDeltaSendsOnlyWhatChangedAfterAFullRun() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 1000, 0, 0);
        server.put("a", "red");
        server.put("b", "green");
        server.put("c", "blue");
        InventoryReport first = s.run(true);
        assertEquals(3, first.added());
        List<JsonNode> full = allRecords(c, 0);
        assertEquals(3, full.size());
        assertEquals("{\"op\":\"upsert\",\"change\":\"add\",\"id\":\"a\",\"colour\":\"red\"}", Json.text(full.get(0)));

        server.put("b", "yellow");
        server.remove("c");
        server.put("d", "black");
        int before = c.uploads.stored.size();
        InventoryReport delta = s.run(false);
        assertEquals(1, delta.added());
        assertEquals(1, delta.modified());
        assertEquals(1, delta.unchanged());
        assertEquals(1, delta.deleted());
        List<JsonNode> changes = allRecords(c, before);
        assertEquals(List.of("modify:b", "add:d", "delete:c"), changes.stream()
                .map(n -> (n.has("change") ? n.get("change").asText() : n.get("op").asText()) + ":" + n.get("id").asText())
                .toList());

        // Nothing changed: nothing is uploaded at all.
        int now = c.uploads.stored.size();
        InventoryReport quiet = s.run(false);
        assertEquals(0, quiet.receipts().size());
        assertEquals(now, c.uploads.stored.size());
        assertEquals(3, quiet.unchanged());
        assertEquals(0, quiet.bytes());
    }

    @Test
    void theBaselineStaysWhenAnUploadFailsSoTheNextRunSendsTheSameChanges() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 1, 0, 0);
        server.put("a", "red");
        server.put("b", "green");
        s.run(false);
        var snapshot = c.state.snapshot();
        server.put("a", "white");
        server.put("z", "grey");
        c.uploads.failUpload(2); // the second chunk of this run
        assertThrows(IOException.class, () -> s.run(false));
        assertEquals(snapshot, c.state.snapshot(), "nothing committed after a failed upload");
        int before = c.uploads.stored.size();
        InventoryReport again = s.run(false);
        assertEquals(1, again.added());
        assertEquals(1, again.modified());
        assertEquals(2, allRecords(c, before).size());
        try (var files = Files.list(c.workDir().resolve("inventory"))) {
            assertEquals(0, files.count(), "no chunk file left behind");
        }
    }

    @Test
    void chunksAreCutByRecordsAndNumberedWithHeaders() throws Exception {
        FakeModuleContext c = context();
        for (int i = 0; i < 5; i++) {
            server.put("id" + i, "c" + i);
        }
        InventoryReport r = sync(c, completeSource, 2, 0, 0).run(true);
        assertEquals(3, r.receipts().size());
        for (int i = 0; i < 3; i++) {
            JsonNode header = lines(c, i).get(0);
            assertEquals("chunk", header.get("op").asText());
            assertEquals(i + 1, header.get("seq").asInt());
            assertEquals("things", header.get("inventory").asText());
            assertEquals("full", header.get("mode").asText());
        }
        assertEquals(5, allRecords(c, 0).size());
    }

    @Test
    void aFullRunEndsBySayingWhetherItHoldsEveryItemAndADeltaDoesNot() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 2, 2, 0);
        for (int i = 0; i < 6; i++) {
            server.put("id" + i, "c");
        }
        s.run(true);
        assertEquals(3, c.uploads.stored.size(), "the end record rides in the full last chunk, not in one of its own");
        assertEquals("{\"op\":\"end\",\"complete\":true}", Json.text(lastLine(c)));

        server.put("id0", "changed");
        int before = c.uploads.stored.size();
        s.run(false);
        assertTrue(ops(c, before).noneMatch("end"::equals), "a delta says what changed, and has no end record");

        // Deletions held back: the cloud must not drop what this run did not upsert.
        for (int i = 1; i < 4; i++) {
            server.remove("id" + i);
        }
        assertEquals(3, s.run(true).heldDeletes());
        assertEquals("{\"op\":\"end\",\"complete\":false}", Json.text(lastLine(c)));

        // A read that cannot say it saw everything is not a snapshot either.
        FakeModuleContext pc = new FakeModuleContext("test", ModuleConfig.empty(), dir.resolve("partial"));
        InventorySync<Thing> partial = sync(pc, (full, position, sink) -> {
            sink.item(new Thing("x", "c"));
            return new ReadResult(false, "incremental", Map.of());
        }, 10, 0, 0);
        partial.run(true);
        assertEquals("{\"op\":\"end\",\"complete\":false}", Json.text(lastLine(pc)));
    }

    private static JsonNode lastLine(FakeModuleContext c) throws IOException {
        List<JsonNode> last = lines(c, c.uploads.stored.size() - 1);
        return last.get(last.size() - 1);
    }

    private static java.util.stream.Stream<String> ops(FakeModuleContext c, int fromUpload) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = fromUpload; i < c.uploads.stored.size(); i++) {
            lines(c, i).forEach(n -> out.add(n.get("op").asText()));
        }
        return out.stream();
    }

    @Test
    void deletionsOverTheThresholdAreHeldUntilAllowed() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 1000, 2, 0);
        for (int i = 0; i < 10; i++) {
            server.put("id" + i, "c");
        }
        s.run(false);
        for (int i = 0; i < 3; i++) {
            server.remove("id" + i);
        }
        server.put("new", "c");
        int before = c.uploads.stored.size();
        InventoryReport held = s.run(false);
        assertEquals(3, held.heldDeletes());
        assertEquals(0, held.deleted());
        assertEquals(1, held.added(), "the other changes still go out");
        assertEquals(List.of("id0", "id1", "id2"), s.held());
        assertTrue(allRecords(c, before).stream().noneMatch(n -> n.get("op").asText().equals("delete")));

        // Held again on the next run, until approved.
        assertEquals(3, s.run(false).heldDeletes());
        assertEquals(3, s.approveHeld());
        before = c.uploads.stored.size();
        InventoryReport sent = s.run(false);
        assertEquals(3, sent.deleted());
        assertEquals(3, allRecords(c, before).stream().filter(n -> n.get("op").asText().equals("delete")).count());
        assertEquals(List.of(), s.held());
        // The approval is used up: a new mass deletion is held again.
        for (int i = 3; i < 7; i++) {
            server.remove("id" + i);
        }
        assertEquals(4, s.run(false).heldDeletes());
    }

    @Test
    void thePercentThresholdCountsAgainstTheBaselineSize() throws Exception {
        FakeModuleContext c = context();
        InventorySync<Thing> s = sync(c, completeSource, 1000, 0, 10);
        for (int i = 0; i < 20; i++) {
            server.put("id" + i, "c");
        }
        s.run(false);
        server.remove("id0");
        server.remove("id1");
        assertEquals(2, s.run(false).deleted(), "2 of 20 is 10 %: allowed");
        server.remove("id2");
        server.remove("id3");
        assertEquals(2, s.run(false).heldDeletes(), "2 of 18 is over 10 %: held");
    }

    @Test
    void aDeltaSourceGetsItsPositionBackOnlyAfterACommittedRun() throws Exception {
        FakeModuleContext c = context();
        List<String> positions = new ArrayList<>();
        int[] run = {0};
        InventorySource<Thing> delta = (full, position, sink) -> {
            positions.add(position.containsKey("mark") ? new String(position.get("mark"), StandardCharsets.UTF_8) : "-");
            run[0]++;
            if (run[0] == 1) {
                sink.item(new Thing("a", "red"));
                sink.item(new Thing("b", "red"));
            } else {
                sink.deleted("a");
                sink.deleted("never-sent");
            }
            return new ReadResult(false, "changesOnly", Map.of("mark", ("m" + run[0]).getBytes(StandardCharsets.UTF_8)));
        };
        InventorySync<Thing> s = sync(c, delta, 1000, 0, 0);
        s.run(false);
        c.uploads.failUpload(1);
        assertThrows(IOException.class, () -> s.run(false));
        InventoryReport r = s.run(false);
        assertEquals(List.of("-", "m1", "m1"), positions, "the failed run's position was not stored");
        assertEquals(1, r.deleted(), "an id the cloud never got is not deleted");
        assertEquals(0, r.unchanged(), "a delta does not walk what it did not read");
        assertEquals("changesOnly", r.method());
    }

    @Test
    void aSecondRunWhileOneIsInProgressIsRefused() throws Exception {
        FakeModuleContext c = context();
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InventorySync<Thing> s = sync(c, (full, position, sink) -> {
            inRead.countDown();
            release.await();
            return ReadResult.completeRead("completeRead");
        }, 1000, 0, 0);
        Thread t = new Thread(() -> {
            try {
                s.run(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        inRead.await();
        assertThrows(InventorySync.BusyException.class, () -> s.run(false));
        release.countDown();
        t.join();
    }

    @Test
    void progressIsLoggedWhileReading() throws Exception {
        InventoryProgress p = new InventoryProgress("test", 0);
        p.item();
        p.item();
        assertEquals(2, p.items());
        assertEquals(2, p.logged());
        InventoryProgress quiet = new InventoryProgress("test", Long.MAX_VALUE);
        quiet.item();
        assertEquals(0, quiet.logged());
    }

    @Test
    void badSettingsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new InventorySettings("m", "Bad Name", 1, 2048, 0, 0));
        assertTrue(e.getMessage().contains("Bad Name"), e.getMessage());
        var p = assertThrows(IllegalArgumentException.class, () -> new InventorySettings("m", "ok", 1, 2048, 0, 101));
        assertTrue(p.getMessage().contains("deleteThresholdPercent"), p.getMessage());
    }
}
