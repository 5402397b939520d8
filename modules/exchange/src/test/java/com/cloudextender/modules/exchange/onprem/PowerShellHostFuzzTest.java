package com.cloudextender.modules.exchange.onprem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The PowerShell host's side of the line protocol, as a broken or hostile host could write it: the host
 * here is {@code cat} of the fuzzed lines. Asking for the version and running one request end with a
 * result or an {@link ExchangeException}, nothing else, within the configured time limits.
 */
class PowerShellHostFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TEMPLATES = {
        "{\"type\":\"hello\",\"protocol\":1,\"version\":\"15.2.1118.7\"}",
        "{\"type\":\"objects\",\"id\":\"1\",\"objects\":[{\"DeviceId\":\"%s\"}]}",
        "{\"type\":\"end\",\"id\":\"1\",\"warnings\":[\"%s\"],\"error\":null}",
        "{\"type\":\"end\",\"id\":\"1\",\"error\":{\"category\":\"%s\",\"message\":\"m\",\"errorId\":\"e\"}}",
        "{\"type\":\"hello\",\"error\":\"%s\"}",
        "%s",
    };
    private static Path dir;

    @BeforeAll
    static void folder() throws IOException {
        dir = Files.createTempDirectory("powershell-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FuzzTest
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void hostLinesGiveAResultOrATypedError(FuzzedDataProvider data) throws Exception {
        StringBuilder out = new StringBuilder();
        int n = data.consumeInt(1, 6);
        for (int i = 0; i < n; i++) {
            String template = data.pickValue(TEMPLATES);
            out.append(String.format(template, data.consumeString(40).replace("\n", "").replace("\r", ""))).append('\n');
        }
        Path lines = Files.writeString(dir.resolve("lines.txt"), out, StandardCharsets.UTF_8);
        PowerShellHost host = new PowerShellHost(List.of("/bin/cat", lines.toString()),
                JSON.createObjectNode().put("type", "init"), dir.resolve("host.err"), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1);
        try {
            String id = host.nextId();
            List<JsonNode> objects = new ArrayList<>();
            JsonNode end = host.request(HostProtocol.request(id, "Get-MobileDevice",
                    CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE)), id, objects::add);
            assertEquals("end", end.path("type").asText());
            assertEquals(id, end.path("id").asText());
            objects.forEach(o -> assertNotNull(o));
        } catch (ExchangeException e) {
            assertNotNull(e.reason());
        } finally {
            host.close();
        }
    }
}
