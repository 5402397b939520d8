package com.cloudextender.modules.bes.devices;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.bes.testing.BesFixture;
import com.cloudextender.modules.bes.testing.FakeBws;
import com.cloudextender.modules.bes.testing.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and deltas through the module, against WireMock emulating the BAS. */
class DeviceDiscoveryTest {
    @TempDir
    static Path shared;
    static TestPki pki;
    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.create(shared.resolve("pki"));
    }

    static String pin(int i) {
        return String.format("2%07X", i);
    }

    @Test
    void discoveryPagesUsersAndUploadsEveryDeviceThenDeltasOnlyTheChanges() throws Exception {
        try (BesFixture f = new BesFixture(pki, dir, Map.of("pageSize", "40", "detailBatch", "15",
                "sync.chunkRecords", "100"))) {
            for (int i = 0; i < 250; i++) {
                f.bes.user(String.format("user%03d@corp.example", i), pin(i));
            }
            f.bes.addUser("nodevice@corp.example");
            JsonNode full = f.ok("discover", "{}");
            assertEquals(250, full.get("added").asInt(), full.toString());
            assertEquals(3, full.get("chunks").size());
            assertEquals(7, f.bws.calls("getUsers"), "251 users in pages of 40: 7 pages, the last one short");
            assertEquals(19, f.bws.calls("getUsersDetail"), "each page of 40 in batches of 15 (3 calls), the last page of 11 in one");
            List<JsonNode> all = f.records(0);
            assertEquals(250, all.size());
            JsonNode first = all.get(0);
            assertEquals("upsert", first.get("op").asText());
            assertEquals(pin(0), first.get("id").asText());
            assertEquals("user000@corp.example", first.at("/user/email").asText());
            assertEquals("9900", first.get("model").asText());
            assertEquals("RUNNING", first.get("state").asText(), "an enumeration object is written as its value");
            assertEquals("355555000000001", first.get("imei").asText());
            assertEquals("Default", first.get("itPolicyName").asText());
            assertEquals("Mail", first.at("/applications/0/name").asText());
            assertEquals("10", first.get("messagesSent").asText());

            // On the server: one device changes state, one user leaves, one new user and device.
            f.bes.device(pin(7)).state = "LOCKED";
            f.bes.remove(f.bes.byEmail("user008@corp.example"));
            f.bes.user("newcomer@corp.example", "3FFFFFFF");
            int before = f.context.uploads.stored.size();
            JsonNode delta = f.ok("sync", "{}");
            assertEquals(1, delta.get("added").asInt());
            assertEquals(1, delta.get("modified").asInt());
            assertEquals(1, delta.get("deleted").asInt());
            assertEquals(248, delta.get("unchanged").asInt());
            List<JsonNode> changes = f.records(before);
            assertEquals(3, changes.size(), changes.toString());
            assertTrue(changes.stream().anyMatch(n -> n.get("op").asText().equals("delete")
                    && n.get("id").asText().equals(pin(8))));
            assertTrue(changes.stream().anyMatch(n -> n.path("change").asText().equals("modify")
                    && n.get("state").asText().equals("LOCKED")));

            JsonNode quiet = f.ok("sync", "{}");
            assertEquals(0, quiet.get("added").asInt() + quiet.get("modified").asInt() + quiet.get("deleted").asInt());
        }
    }

    @Test
    void anAttributeSetHasItsOwnInventoryWithOnlyItsFields() throws Exception {
        try (BesFixture f = new BesFixture(pki, dir, Map.of())) {
            f.bes.user("a@corp.example", "2AAAAAAA");
            JsonNode core = f.ok("discover", "{\"attributeSets\":[\"core\"]}");
            assertEquals("devices-core", core.get("inventory").asText());
            JsonNode rec = f.records(0).get(0);
            assertTrue(rec.has("model") && rec.has("state"), rec.toString());
            assertFalse(rec.has("imei") || rec.has("messagesSent") || rec.has("applications"), rec.toString());
            // Heartbeat counters move without touching the core inventory's baseline.
            f.bes.device("2AAAAAAA").messagesSent = 99;
            assertEquals(0, f.ok("sync", "{\"attributeSets\":[\"core\"]}").get("modified").asInt());
            assertEquals(1, f.ok("sync", "{\"attributeSets\":[\"heartbeat\"]}").get("added").asInt());
            CommandException e = f.fails("sync", "{\"attributeSets\":[\"gps\"]}");
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
            assertTrue(e.getMessage().contains("'gps'"), e.getMessage());
        }
    }

    @Test
    void aFailedPageCommitsNothingAndTheNextRunSendsTheSameChanges() throws Exception {
        try (BesFixture f = new BesFixture(pki, dir, Map.of("pageSize", "10"))) {
            for (int i = 0; i < 30; i++) {
                f.bes.user(String.format("u%02d@corp.example", i), pin(i));
            }
            f.bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(1)
                    .withRequestBody(containing("<startIndex>20</startIndex>"))
                    .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/xml")
                            .withBody(FakeBws.faultBody("soap:Server", "Database connection lost"))));
            CommandException e = f.fails("discover", "{}");
            assertEquals(ErrorCode.MODULE_FAILURE, e.code());
            assertTrue(e.getMessage().contains("SOAP_FAULT") && e.getMessage().contains("Database connection lost"),
                    e.getMessage());
            f.bws.server.resetMappings();
            f.bws.server.stubFor(post(urlPathEqualTo(FakeBws.BWS_PATH)).atPriority(5)
                    .willReturn(aResponse().withTransformers("bws")));
            assertEquals(30, f.ok("sync", "{}").get("added").asInt(), "nothing was committed by the failed run");
        }
    }

    @Test
    void mostDevicesGoneAreHeldUntilAllowed() throws Exception {
        try (BesFixture f = new BesFixture(pki, dir, Map.of("sync.deleteThresholdPercent", "20"))) {
            for (int i = 0; i < 20; i++) {
                f.bes.user(String.format("u%02d@corp.example", i), pin(i));
            }
            f.ok("discover", "{}");
            for (int i = 0; i < 10; i++) {
                f.bes.remove(f.bes.byEmail(String.format("u%02d@corp.example", i)));
            }
            JsonNode held = f.ok("sync", "{}");
            assertEquals(10, held.get("heldDeletes").asInt());
            assertEquals(0, held.get("deleted").asInt());
            assertEquals(10, f.ok("heldDeletes", "{}").get("count").asInt());
            assertEquals(10, f.ok("allowDeletes", "{}").get("deleted").asInt());
        }
    }
}
