package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.UploadView;
import com.cloudextender.modules.bes.testing.FakeBws;
import com.cloudextender.modules.bes.testing.InMemoryBes;
import com.cloudextender.modules.bes.testing.TestPki;

/**
 * The bes module end to end: the feature enabled in the dev cloud pushes the signed package, the
 * extender loads it (Apache CXF inside the module's own class loader), discovery against WireMock
 * emulating the BlackBerry Administration Service is uploaded through the dev cloud's upload slots, and
 * a wipe makes its round trip from the cloud to the emulated BWS and back with the device's state.
 */
class BesEndToEndIT extends DevCloudTestBase {

    @Test
    void discoveryIsUploadedAndAWipeRoundTrips() throws Exception {
        TestPki pki = TestPki.create(home.resolve("pki"));
        InMemoryBes bes = new InMemoryBes();
        for (int i = 0; i < 30; i++) {
            bes.user(String.format("user%02d@corp.example", i), String.format("2E2E%04X", i));
        }
        try (FakeBws bws = new FakeBws(bes, pki)) {
            cloud.publishModule(DevPackages.built("bes"), "stable");
            ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "bes-co", "machine-b", false,
                    Map.of("health.interval", "1h"));
            try (Extender x = f.start()) {
                assertTrue(x.awaitConnected(T), x.channelStatus().toString());
                cloud.enableFeature("bes-co", "bes", Map.of("server", bws.baseUrl(), "username", FakeBws.ADMIN,
                        "password", FakeBws.PASSWORD, "trustStore", pki.serverPem.toString(), "pageSize", "10",
                        "sync.interval", "0s"));
                await("the bes module to be active", () -> x.modules().activeVersion("bes").isPresent());

                int before = cloud.uploads().size();
                CommandOutcome discover = send(x, "bes", "discover", "{}");
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
                assertTrue(records.contains("\"id\":\"2E2E0007\"") && records.contains("user07@corp.example"));

                CommandOutcome wipe = send(x, "bes", "wipe", "{\"email\":\"user08@corp.example\",\"pin\":\"2E2E0008\"}");
                assertTrue(wipe.isOk(), wipe.toString());
                assertTrue(wipe.payload().contains("\"state\":\"DISABLED\""), wipe.payload());
                assertTrue(bes.device("2E2E0008").wiped, "the wipe reached the emulated BAS");

                CommandOutcome unknown = send(x, "bes", "wipe", "{\"email\":\"user08@corp.example\",\"pin\":\"2FFFFFFF\"}");
                assertEquals("INVALID_ARGUMENTS", unknown.errorCode(), unknown.toString());
                assertTrue(unknown.payload().contains("NOT_FOUND"), unknown.payload());

                CommandOutcome delta = send(x, "bes", "sync", "{}");
                assertTrue(delta.payload().contains("\"modified\":1"), delta.payload());
                try (var files = Files.walk(f.home())) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(FakeBws.PASSWORD),
                                "the BAS password is not on disk in clear: " + file);
                    }
                }
            }
        }
    }
}
