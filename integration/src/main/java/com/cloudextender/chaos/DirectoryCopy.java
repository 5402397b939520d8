package com.cloudextender.chaos;

import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.UploadView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The cloud's copy of the directory as the fold rule of docs/PROTOCOL.md section 11.3 builds it from the
 * directory chunks the dev cloud stored (the dev cloud keeps the uploads, not a copy). Only stored uploads
 * count: stale ones were refused. Runs apply in the order they began (a run's id starts with its start
 * time; the runs of these tests are seconds apart), each run's chunks in sequence: upserts replace by
 * object id, deletions remove, and a full run that ends complete, once every chunk up to its end is
 * stored, drops the objects it did not upsert.
 */
public final class DirectoryCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DirectoryCopy() {
    }

    /** The stored directory chunks. */
    public static List<UploadView> uploads(DevCloud cloud) {
        return cloud.uploads().stream().filter(u -> u.complete() && u.filename().startsWith("directory-")).toList();
    }

    /** Users and groups of the cloud's copy: id to DN, lower case. */
    public static Map<String, String> fold(DevCloud cloud) {
        Map<String, Map<Integer, List<JsonNode>>> runs = new TreeMap<>();
        for (UploadView u : uploads(cloud)) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(u.file())), StandardCharsets.UTF_8))) {
                JsonNode header = JSON.readTree(in.readLine());
                List<JsonNode> records = new ArrayList<>();
                for (String line; (line = in.readLine()) != null;) {
                    records.add(JSON.readTree(line));
                }
                runs.computeIfAbsent(header.path("run").asText(), r -> new TreeMap<>())
                        .put(header.path("seq").asInt(), records);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> copy = new HashMap<>();
        for (Map<Integer, List<JsonNode>> chunks : runs.values()) {
            Set<String> upserted = new HashSet<>();
            boolean snapshot = false;
            for (Map.Entry<Integer, List<JsonNode>> chunk : chunks.entrySet()) {
                for (JsonNode r : chunk.getValue()) {
                    String op = r.path("op").asText();
                    String type = r.path("type").asText();
                    if (op.equals("upsert") && (type.equals("user") || type.equals("group"))) {
                        copy.put(r.path("id").asText(), r.path("dn").asText().toLowerCase(Locale.ROOT));
                        upserted.add(r.path("id").asText());
                    } else if (op.equals("delete")) {
                        copy.remove(r.path("id").asText());
                    } else if (op.equals("end")) {
                        // Every chunk up to this one is stored: sequence numbers 1..n, none missing.
                        snapshot = r.path("complete").asBoolean() && chunks.size() == chunk.getKey();
                    }
                }
            }
            if (snapshot) {
                copy.keySet().retainAll(upserted);
            }
        }
        return copy;
    }
}
