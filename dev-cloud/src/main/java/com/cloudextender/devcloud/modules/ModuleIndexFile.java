package com.cloudextender.devcloud.modules;

import com.cloudextender.core.module.pack.ModuleVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The repository's {@code index.json} in the modules folder. Every save writes a new file and renames it
 * over the old one, so that a crash leaves either the old or the new index.
 */
final class ModuleIndexFile {
    /** The index's name in the modules folder. */
    static final String NAME = "index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    ModuleIndexFile(Path folder) {
        this.file = folder.resolve(NAME);
    }

    List<ModuleEntry> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ModuleEntry> entries = new ArrayList<>();
        try {
            for (JsonNode n : JSON.readTree(file.toFile()).path("modules")) {
                entries.add(new ModuleEntry(text(n, "id"), ModuleVersion.parse(text(n, "version")),
                        ReleaseChannel.parse(text(n, "channel")), text(n, "sha256"), n.path("size").asLong(),
                        text(n, "file"), Instant.parse(text(n, "publishedAt"))));
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("the module index " + file + " cannot be read (" + e.getMessage()
                    + "); fix it or move it away, and publish the packages again", e);
        }
        return entries;
    }

    void save(Collection<ModuleEntry> entries) throws IOException {
        ArrayNode list = JSON.createArrayNode();
        for (ModuleEntry e : entries) {
            list.addObject().put("id", e.id()).put("version", e.version().toString()).put("channel", e.channel().wireName())
                    .put("sha256", e.sha256()).put("size", e.size()).put("file", e.file())
                    .put("publishedAt", e.publishedAt().toString());
        }
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                JSON.createObjectNode().set("modules", list)));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException("an entry has no '" + field + "': " + node);
        }
        return value.asText();
    }
}
