package com.cloudextender.modules.traveler.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceParserTest {
    @Test
    void devicesAreHandedOnBeforeThePageEnds() throws Exception {
        String head = "{\"total\":3,\"devices\":[{\"userName\":\"CN=A/O=X\",\"deviceId\":\"D1\"},"
                + "{\"userName\":\"CN=B/O=X\",\"deviceId\":\"D2\"},";
        // The rest of the page never arrives: the connection fails instead.
        var broken = new SequenceInputStream(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
                new java.io.InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });
        List<String> seen = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(broken)) {
            assertThrows(IOException.class, () -> DeviceParser.page(p, d -> seen.add(d.deviceId())));
        }
        assertEquals(List.of("D1", "D2"), seen);
    }

    @Test
    void unknownFieldsNullsAndOtherTypesAreTolerated() throws Exception {
        String page = "{\"start\":0,\"devices\":[{\"userName\":\"CN=A/O=X\",\"deviceId\":\"D1\",\"extra\":{\"a\":[1,{\"b\":2}]},"
                + "\"os\":null,\"clientVersion\":9.1,\"wipe\":{\"status\":\"Sent\",\"options\":[\"HardReset\",null],\"at\":\"x\"},"
                + "\"wipeOptionsSupported\":\"HardReset\",\"access\":[\"odd\"]}],\"count\":1}";
        try (JsonParser p = Json.MAPPER.getFactory().createParser(page)) {
            List<Device> all = DeviceParser.all(p);
            assertEquals(1, all.size());
            Device d = all.get(0);
            assertEquals("", d.os());
            assertEquals("9.1", d.clientVersion());
            assertEquals("Sent", d.wipeStatus());
            assertEquals(List.of("HardReset"), d.wipeOptions());
            assertEquals(List.of(), d.wipeSupported());
            assertEquals("", d.access());
        }
    }

    @Test
    void anAnswerWithoutADeviceListIsRefused() throws Exception {
        try (JsonParser p = Json.MAPPER.getFactory().createParser("{\"message\":\"ok\"}")) {
            JsonParseException e = assertThrows(JsonParseException.class, () -> DeviceParser.all(p));
            assertEquals("the answer has no \"devices\" array", e.getOriginalMessage());
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser("[]")) {
            assertThrows(JsonParseException.class, () -> DeviceParser.all(p));
        }
    }

    @Test
    void lastSyncIsCutToThePrecisionWhenItIsAnInstant() {
        DeviceFormat hourly = new DeviceFormat(Duration.ofHours(1));
        assertEquals("2026-12-05T09:00:00Z", hourly.cut("2026-12-05T09:41:07Z"));
        assertEquals("2026-12-05T09:00:00Z", hourly.cut("2026-12-05T10:41:07+01:00"));
        assertEquals("05.12.2026 09:41", hourly.cut("05.12.2026 09:41"), "another notation is kept as written");
        assertEquals("2026-12-05T09:41:07Z", new DeviceFormat(Duration.ZERO).cut("2026-12-05T09:41:07Z"));
        assertEquals("2026-12-05T09:40:00Z", new DeviceFormat(Duration.ofMinutes(5)).cut("2026-12-05T09:44:59.999Z"));
        assertEquals("2026-12-05T00:00:00Z", new DeviceFormat(Duration.ofDays(1)).cut("2026-12-05T23:59:59Z"));
        // A precision that does not divide a day is cut from the epoch, as Instant arithmetic does.
        assertEquals("2026-12-05T08:00:00Z", new DeviceFormat(Duration.ofHours(7)).cut("2026-12-05T09:41:07Z"));
        assertEquals("2026-12-05T25:00:00Z", hourly.cut("2026-12-05T25:00:00Z"), "not a time: kept as written");
    }
}
