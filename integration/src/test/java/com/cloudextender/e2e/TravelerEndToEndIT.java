package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.UploadView;
import com.cloudextender.modules.traveler.testing.FakeTravelerServer;
import com.cloudextender.modules.traveler.testing.InMemoryTraveler;
import com.cloudextender.modules.traveler.testing.TestTls;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The traveler module end to end: the feature enabled in the dev cloud pushes the signed package, the
 * extender loads it, discovery against WireMock emulating the Traveler administration API is uploaded
 * through the dev cloud's upload slots, and a wipe makes its round trip from the cloud to the emulated
 * server and back with the server's resulting state.
 */
class TravelerEndToEndIT extends DevCloudTestBase {

    @Test
    void discoveryIsUploadedAndAWipeRoundTrips() throws Exception {
        TestTls tls = TestTls.create(home.resolve("tls"));
        InMemoryTraveler traveler = new InMemoryTraveler();
        for (int i = 0; i < 30; i++) {
            traveler.add("CN=User " + i + "/O=Acme", "Apple_E2E" + i, "Apple iPhone", "iOS 17.1");
        }
        try (FakeTravelerServer server = new FakeTravelerServer(traveler, tls)) {
            cloud.publishModule(DevPackages.built("traveler"), "stable");
            ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "traveler-co", "machine-t", false,
                    Map.of("health.interval", "1h"));
            try (Extender x = f.start()) {
                assertTrue(x.awaitConnected(T), x.channelStatus().toString());
                Map<String, String> config = new HashMap<>();
                config.put("server", server.baseUrl());
                config.put("username", FakeTravelerServer.USER);
                config.put("password", FakeTravelerServer.PASSWORD);
                config.put("trustStore", tls.pem.toString());
                config.put("pageSize", "10");
                config.put("sync.interval", "0s");
                cloud.enableFeature("traveler-co", "traveler", config);
                await("the traveler module to be active", () -> x.modules().activeVersion("traveler").isPresent());

                int before = cloud.uploads().size();
                CommandOutcome discover = send(x, "traveler", "discover", "{}");
                assertTrue(discover.isOk(), discover.toString());
                assertTrue(discover.payload().contains("\"added\":30"), discover.payload());
                List<UploadView> uploads = cloud.uploads().subList(before, cloud.uploads().size());
                assertEquals(1, uploads.size());
                assertTrue(uploads.get(0).complete());
                String records;
                try (InputStream in = new GZIPInputStream(Files.newInputStream(uploads.get(0).file()))) {
                    records = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                assertEquals(32, records.split("\n").length, "a header, 30 devices and the end record");
                assertTrue(records.endsWith("{\"op\":\"end\",\"complete\":true}\n"), "a complete full run");
                assertTrue(records.contains("\"id\":\"CN=User 7/O=Acme|Apple_E2E7\""), records);

                CommandOutcome wipe = send(x, "traveler", "wipe", "{\"deviceId\":\"Apple_E2E7\",\"options\":[\"application\"]}");
                assertTrue(wipe.isOk(), wipe.toString());
                assertTrue(wipe.payload().contains("\"wipeStatus\":\"Pending\""), wipe.payload());
                assertEquals(List.of("Application"), traveler.get("CN=User 7/O=Acme", "Apple_E2E7").wipeOptions);

                CommandOutcome unknown = send(x, "traveler", "approve", "{\"deviceId\":\"NOPE1\"}");
                assertEquals("INVALID_ARGUMENTS", unknown.errorCode(), unknown.toString());
                assertTrue(unknown.payload().contains("UNKNOWN_DEVICE"), unknown.payload());

                CommandOutcome delta = send(x, "traveler", "sync", "{}");
                assertTrue(delta.payload().contains("\"modified\":1"), delta.payload());
                try (var files = Files.walk(f.home())) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                                .contains(FakeTravelerServer.PASSWORD), "the Domino password is not on disk in clear: " + file);
                    }
                }
            }
        }
    }
}
