package com.cloudextender.modules.exchange.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.modules.exchange.testing.OnlineFixture;
import com.cloudextender.modules.exchange.testing.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and deltas through the module, against WireMock emulating Exchange Online. */
class DeviceDiscoveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path shared;
    static TestPki pki;
    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.create(shared.resolve("pki"));
    }

    static List<JsonNode> records(OnlineFixture f, int fromUpload) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int i = fromUpload; i < f.context.uploads.stored.size(); i++) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f.context.uploads.stored.get(i)))) {
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    JsonNode n = JSON.readTree(l);
                    if (!n.get("op").asText().equals("chunk") && !n.get("op").asText().equals("end")) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void discoveryUploadsEveryDeviceWithItsMailboxThenDeltasOnlyTheChanges() throws Exception {
        try (OnlineFixture f = new OnlineFixture(pki, dir, Map.of("online.pageSize", "50", "sync.chunkRecords", "100",
                "sync.statistics", "true"))) {
            for (int i = 0; i < 260; i++) {
                f.exchange.device("user" + i, "DEV" + i, i % 2 == 0 ? "iPhone" : "Android");
            }
            JsonNode full = f.commands.ok("discover", "{}");
            assertEquals(260, full.get("added").asInt());
            assertEquals(3, full.get("chunks").size());
            assertEquals("completeReadWithStatistics", full.get("method").asText());
            List<JsonNode> all = records(f, 0);
            assertEquals(260, all.size());
            JsonNode first = all.get(0);
            assertEquals("upsert", first.get("op").asText());
            assertEquals("DEV0", first.get("deviceId").asText());
            assertEquals("user0@contoso.example", first.at("/mailbox/userPrincipalName").asText());
            assertEquals("Default", first.at("/mailbox/activeSyncMailboxPolicy").asText());
            assertEquals("Allowed", first.get("accessState").asText());
            assertEquals("AppliedInFull", first.at("/statistics/policyApplicationStatus").asText());
            assertTrue(first.has("imei") && first.has("firstSyncTime") && first.has("userAgent"), first.toString());

            // Changes on the server: one device blocked, one partnership removed, one new device.
            f.commands.ok("block", "{\"deviceId\":\"DEV7\"}");
            f.commands.ok("remove", "{\"deviceId\":\"DEV8\"}");
            f.exchange.device("newcomer", "DEVNEW", "iPad");
            int before = f.context.uploads.stored.size();
            JsonNode delta = f.commands.ok("sync", "{}");
            assertEquals(1, delta.get("added").asInt());
            assertEquals(1, delta.get("modified").asInt());
            assertEquals(1, delta.get("deleted").asInt());
            assertEquals(258, delta.get("unchanged").asInt());
            List<JsonNode> changes = records(f, before);
            assertEquals(3, changes.size());
            assertEquals("Blocked", changes.stream().filter(n -> "DEV7".equals(n.path("deviceId").asText()))
                    .findFirst().orElseThrow().get("accessState").asText());
            assertTrue(changes.stream().anyMatch(n -> n.get("op").asText().equals("delete")));

            // A failed upload commits nothing: the next run sends the same change again.
            f.commands.ok("allow", "{\"deviceId\":\"DEV7\"}");
            f.context.uploads.failUpload(1);
            assertTrue(f.commands.fails("sync", "{}").getMessage().contains("will send the same changes"));
            assertEquals(1, f.commands.ok("sync", "{}").get("modified").asInt());
        }
    }

    @Test
    void massDeletionsAreHeldUntilAllowedAndTheScheduleRunsDeltas() throws Exception {
        try (OnlineFixture f = new OnlineFixture(pki, dir, Map.of("sync.deleteThreshold", "5", "sync.interval", "15m"))) {
            for (int i = 0; i < 20; i++) {
                f.exchange.device("user" + i, "DEV" + i, "iPhone");
            }
            f.commands.ok("sync", "{\"full\":true}");
            f.exchange.devices.keySet().removeIf(k -> k.matches("user1[0-7]\\\\.*"));
            assertEquals(8, f.commands.ok("sync", "{}").get("heldDeletes").asInt());
            assertEquals(8, f.commands.ok("heldDeletes", "{}").get("count").asInt());
            assertEquals(8, f.commands.ok("allowDeletes", "{}").get("deleted").asInt());
            assertTrue(f.commands.fails("allowDeletes", "{}").getMessage().contains("no deletions are held"));

            assertEquals(1, f.context.scheduler.active().size());
            assertEquals(java.time.Duration.ofMinutes(15), f.context.scheduler.active().get(0).delay);
            f.exchange.device("late", "DEVLATE", "iPhone");
            int before = f.context.uploads.stored.size();
            f.context.scheduler.active().get(0).run();
            assertEquals(1, records(f, before).size());
        }
    }
}
