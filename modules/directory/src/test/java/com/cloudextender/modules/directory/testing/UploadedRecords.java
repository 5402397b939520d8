package com.cloudextender.modules.directory.testing;

import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the sync records uploaded to a {@link FakeModuleContext}, chunk by chunk, headers left out. */
public final class UploadedRecords {
    private final FakeModuleContext context;
    private int read;

    public UploadedRecords(FakeModuleContext context) {
        this.context = context;
    }

    /** The records of the chunks uploaded since the last call. */
    public List<JsonNode> next() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        List<Path> files = context.uploads.stored;
        for (; read < files.size(); read++) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(files.get(read))), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode n = Json.MAPPER.readTree(line);
                    if (!n.get("op").asText().equals("chunk") && !n.get("op").asText().equals("end")) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }
}
