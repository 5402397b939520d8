package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.UploadView;
import com.cloudextender.modules.exchange.testing.FakeAdminApi;
import com.cloudextender.modules.exchange.testing.InMemoryExchange;
import com.cloudextender.modules.exchange.testing.TestPki;

/**
 * The exchange module end to end: the feature enabled in the dev cloud pushes the signed package, the
 * extender loads it, discovery against WireMock emulating Exchange Online is uploaded through the dev
 * cloud's upload slots, and a block and a wipe make their round trip from the cloud to the fake admin
 * API and back with the server's resulting state.
 */
class ExchangeEndToEndIT extends DevCloudTestBase {

    @Test
    void discoveryIsUploadedAndABlockAndAWipeRoundTrip() throws Exception {
        TestPki pki = TestPki.create(home.resolve("pki"));
        InMemoryExchange exchange = new InMemoryExchange();
        for (int i = 0; i < 30; i++) {
            exchange.device("user" + i, "E2EDEV" + i, i % 2 == 0 ? "iPhone" : "Android");
        }
        try (FakeAdminApi api = new FakeAdminApi(exchange, pki)) {
            cloud.publishModule(DevPackages.built("exchange"), "stable");
            ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "exchange-co", "machine-e", false,
                    Map.of("health.interval", "1h"));
            try (Extender x = f.start()) {
                assertTrue(x.awaitConnected(T), x.channelStatus().toString());
                Map<String, String> config = new HashMap<>();
                config.put("backend", "online");
                config.put("online.tenant", FakeAdminApi.TENANT);
                config.put("online.clientId", "11111111-2222-3333-4444-555555555555");
                config.put("online.certificate", pki.appCertificate.toString());
                config.put("online.certificatePassword", TestPki.PASSWORD);
                config.put("online.authority", api.authorityBase());
                config.put("online.adminApiUrl", api.baseUrl());
                config.put("online.trustStore", pki.serverPem.toString());
                config.put("online.pageSize", "10");
                config.put("sync.interval", "0s");
                cloud.enableFeature("exchange-co", "exchange", config);
                await("the exchange module to be active", () -> x.modules().activeVersion("exchange").isPresent());

                int before = cloud.uploads().size();
                CommandOutcome discover = send(x, "exchange", "discover", "{}");
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
                assertTrue(records.contains("\"deviceId\":\"E2EDEV7\"") && records.contains("user7@contoso.example"));

                CommandOutcome block = send(x, "exchange", "block", "{\"deviceId\":\"E2EDEV7\"}");
                assertTrue(block.isOk(), block.toString());
                assertTrue(block.payload().contains("\"accessState\":\"Blocked\""), block.payload());
                CommandOutcome wipe = send(x, "exchange", "wipe", "{\"deviceId\":\"E2EDEV8\",\"accountOnly\":true}");
                assertTrue(wipe.isOk(), wipe.toString());
                assertTrue(wipe.payload().contains("\"wipePending\":true"), wipe.payload());
                assertTrue(exchange.journal.stream().anyMatch(j -> j.startsWith("Clear-MobileDevice")
                        && j.contains("\"AccountOnly\":true")), "the wipe reached the admin API");

                CommandOutcome unknown = send(x, "exchange", "wipe", "{\"deviceId\":\"NOPE1\"}");
                assertEquals("INVALID_ARGUMENTS", unknown.errorCode(), unknown.toString());
                assertTrue(unknown.payload().contains("UNKNOWN_DEVICE"), unknown.payload());

                CommandOutcome delta = send(x, "exchange", "sync", "{}");
                assertTrue(delta.payload().contains("\"modified\":1"), delta.payload());
                try (var files = Files.walk(f.home())) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(TestPki.PASSWORD),
                                "the certificate password is not on disk in clear: " + file);
                    }
                }
            }
        }
    }
}
