package com.cloudextender.modules.traveler.devices;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.traveler.testing.InMemoryTraveler;
import com.cloudextender.modules.traveler.testing.TestTls;
import com.cloudextender.modules.traveler.testing.TravelerFixture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and deltas of the device inventory against the emulated server, page by page. */
class DeviceDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path shared;
    static TestTls tls;
    @TempDir
    Path dir;
    TravelerFixture f;

    @BeforeAll
    static void tls() throws Exception {
        tls = TestTls.create(shared);
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private void start(int devices, Map<String, String> extra) throws Exception {
        Map<String, String> c = new java.util.HashMap<>(Map.of("pageSize", "500", "sync.chunkRecords", "400"));
        c.putAll(extra);
        f = new TravelerFixture(dir, tls, c);
        for (int i = 0; i < devices; i++) {
            InMemoryTraveler.Reg r = f.traveler.add("CN=User " + i + "/O=Acme", "Apple_" + i, "Apple iPhone", "iOS 17." + (i % 5));
            r.lastSync = "2026-12-05T08:" + String.format("%02d", i % 60) + ":00Z";
        }
    }

    @Test
    void discoveryReadsEveryPageAndUploadsEveryDevice() throws Exception {
        start(1234, Map.of());
        JsonNode r = f.run("discover", "{}");
        assertEquals(1234, r.get("read").asInt());
        assertEquals(1234, r.get("added").asInt());
        assertEquals("full", r.get("mode").asText());
        assertEquals(4, r.get("chunks").size(), "1,234 records in chunks of 400");
        assertEquals(3, f.fake.deviceListRequests(), "pages of 500: 0, 500, 1000");
        f.fake.server.verify(getRequestedFor(urlPathEqualTo("/api/traveler/devices"))
                .withQueryParam("start", equalTo("1000")).withQueryParam("count", equalTo("500")));
        List<JsonNode> lines = lines(0);
        assertEquals("chunk", lines.get(0).get("op").asText());
        assertEquals("traveler", lines.get(0).get("module").asText());
        JsonNode first = lines.get(1);
        assertEquals("upsert", first.get("op").asText());
        assertEquals("CN=User 0/O=Acme|Apple_0", first.get("id").asText());
        assertEquals("CN=User 0/O=Acme", first.get("user").asText());
        assertEquals("Apple iPhone", first.get("type").asText());
        assertEquals("iOS 17.0", first.get("os").asText());
        assertEquals("2026-12-05T00:00:00Z", first.get("lastSync").asText(), "cut to the day by default");
        assertEquals("Allow", first.get("access").asText());
        assertEquals("Approved", first.get("approval").asText());
        assertEquals("None", first.get("wipeStatus").asText());
        assertEquals("[\"HardReset\",\"Application\",\"StorageCard\"]", first.get("wipeSupported").toString());
        assertEquals("Default Settings", first.get("policy").asText());
    }

    @Test
    void aDeltaSendsOnlyTheAddedChangedAndRemovedDevices() throws Exception {
        start(1234, Map.of());
        f.run("discover", "{}");
        int before = f.context.uploads.stored.size();
        f.traveler.get("CN=User 7/O=Acme", "Apple_7").access = "Deny";
        f.traveler.remove("CN=User 9/O=Acme", "Apple_9");
        f.traveler.add("CN=New User/O=Acme", "android99", "Android", "Android 15");
        f.traveler.get("CN=User 8/O=Acme", "Apple_8").lastSync = "2026-12-05T17:30:00Z"; // same day: no change
        JsonNode r = f.run("sync", "{}");
        assertEquals("delta", r.get("mode").asText());
        assertEquals(1234, r.get("read").asInt());
        assertEquals(1, r.get("added").asInt());
        assertEquals(1, r.get("modified").asInt());
        assertEquals(1, r.get("deleted").asInt());
        assertEquals(1232, r.get("unchanged").asInt());
        assertEquals(before + 1, f.context.uploads.stored.size());
        List<JsonNode> lines = lines(before);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("CN=User 7/O=Acme|Apple_7", lines.get(1).get("id").asText());
        assertEquals("modify", lines.get(1).get("change").asText());
        assertEquals("Deny", lines.get(1).get("access").asText());
        assertEquals("add", lines.get(2).get("change").asText());
        assertEquals("CN=New User/O=Acme|android99", lines.get(2).get("id").asText());
        assertEquals("{\"op\":\"delete\",\"id\":\"CN=User 9/O=Acme|Apple_9\"}", lines.get(3).toString());
        JsonNode nothing = f.run("sync", "{}");
        assertEquals(0, nothing.get("added").asInt() + nothing.get("modified").asInt() + nothing.get("deleted").asInt());
    }

    @Test
    void aNewDaysSyncIsAChangeAndExactPrecisionSeesEverySync() throws Exception {
        start(10, Map.of("sync.lastSyncPrecision", "0s"));
        f.run("discover", "{}");
        f.traveler.get("CN=User 1/O=Acme", "Apple_1").lastSync = "2026-12-05T08:01:30Z";
        assertEquals(1, f.run("sync", "{}").get("modified").asInt());
    }

    @Test
    void aFailedPageCommitsNothingAndTheNextRunSendsTheSameChanges() throws Exception {
        start(1234, Map.of());
        f.run("discover", "{}");
        f.traveler.get("CN=User 3/O=Acme", "Apple_3").approval = "Pending";
        Map<String, String> state = f.context.state.snapshot();
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).withQueryParam("start", equalTo("500"))
                .atPriority(1).willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":503,\"message\":\"Traveler is shutting down\"}")));
        CommandException e = f.fail("sync", "{}");
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertTrue(e.getMessage().startsWith("SERVER_ERROR: the sync failed and will send the same changes next time: "
                + "GET /api/traveler/devices on " + f.fake.baseUrl() + ": HTTP 503: the server says: Traveler is shutting down"),
                e.getMessage());
        assertEquals(state, f.context.state.snapshot(), "baseline untouched");
        f.fake.server.resetToDefaultMappings();
        f.fake.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/traveler/.*")).atPriority(10)
                .willReturn(aResponse().withTransformers("traveler")));
        JsonNode r = f.run("sync", "{}");
        assertEquals(1, r.get("modified").asInt());
        assertEquals(0, r.get("deleted").asInt());
    }

    @Test
    void aConnectionCutMidPageFailsTheRunWithoutDeletingAnything() throws Exception {
        start(1234, Map.of());
        f.run("discover", "{}");
        Map<String, String> state = f.context.state.snapshot();
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).withQueryParam("start", equalTo("1000"))
                .atPriority(1).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        CommandException e = f.fail("sync", "{}");
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertEquals(state, f.context.state.snapshot());
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).withQueryParam("start", equalTo("1000"))
                .atPriority(1).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"total\":1234,\"devices\":[{\"userName\":\"CN=User 1000/O=Acme\",\"deviceId\":")));
        CommandException truncated = f.fail("sync", "{}");
        assertTrue(truncated.getMessage().startsWith("GARBAGE: the sync failed"), truncated.getMessage());
        assertEquals(state, f.context.state.snapshot());
    }

    @Test
    void aFailedUploadCommitsNothingAndStopsThePageReader() throws Exception {
        start(3000, Map.of("pageSize", "100", "sync.chunkRecords", "200"));
        f.context.uploads.failUpload(2);
        CommandException e = f.fail("discover", "{}");
        assertEquals(ErrorCode.MODULE_FAILURE, e.code());
        assertTrue(e.getMessage().contains("upload slot refused"), e.getMessage());
        assertEquals(Map.of(), f.context.state.snapshot(), "no baseline after a failed run");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (readerThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, readerThreads(), "the page reader ended with the run");
        assertTrue(f.fake.deviceListRequests() < 30, "the reader stopped early: " + f.fake.deviceListRequests() + " pages");
        JsonNode r = f.run("discover", "{}");
        assertEquals(3000, r.get("added").asInt());
    }

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("traveler-device-read")).count();
    }

    @Test
    void massRemovalsAreHeldUntilAllowed() throws Exception {
        start(1234, Map.of());
        f.run("discover", "{}");
        for (int i = 0; i < 600; i++) {
            f.traveler.remove("CN=User " + i + "/O=Acme", "Apple_" + i);
        }
        JsonNode r = f.run("sync", "{}");
        assertEquals(0, r.get("deleted").asInt());
        assertEquals(600, r.get("heldDeletes").asInt());
        assertEquals(600, f.run("heldDeletes", "{}").get("count").asInt());
        JsonNode allowed = f.run("allowDeletes", "{}");
        assertEquals(600, allowed.get("deleted").asInt());
        assertEquals(0, f.run("heldDeletes", "{}").get("count").asInt());
    }

    @Test
    void aServerThatIgnoresPagingIsReadOnce() throws Exception {
        start(3, Map.of("pageSize", "2"));
        StringBuilder all = new StringBuilder("{\"devices\":[");
        for (int i = 0; i < 3; i++) {
            all.append(i > 0 ? "," : "").append("{\"userName\":\"CN=U").append(i).append("\",\"deviceId\":\"D").append(i).append("\"}");
        }
        f.fake.server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(all + "]}")));
        JsonNode r = f.run("discover", "{}");
        assertEquals(3, r.get("read").asInt());
        f.fake.server.verify(1, getRequestedFor(urlPathEqualTo("/api/traveler/devices")));
    }

    @Test
    void theScheduledSyncRunsAtTheConfiguredInterval() throws Exception {
        start(5, Map.of("sync.interval", "15m"));
        assertEquals(1, f.context.scheduler.scheduled.size());
        f.context.scheduler.scheduled.get(0).run();
        assertEquals(1, f.fake.deviceListRequests());
        assertEquals(1, f.context.uploads.stored.size());
    }

    private List<JsonNode> lines(int from) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int i = from; i < f.context.uploads.stored.size(); i++) {
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f.context.uploads.stored.get(i)))) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    JsonNode n = JSON.readTree(line);
                    if (!"end".equals(n.get("op").asText()) && (i == from || !"chunk".equals(n.get("op").asText()))) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }
}
