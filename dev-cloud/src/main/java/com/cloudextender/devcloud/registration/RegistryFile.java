package com.cloudextender.devcloud.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.cloudextender.devcloud.auth.PasswordHash;
import com.cloudextender.devcloud.auth.SecretFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The registry's JSON file in the data directory, so that extenders keep their credential across
 * restarts of the dev cloud. It holds password hashes only. Every save writes a new file and renames it
 * over the old one, so a crash leaves either the old or the new content.
 */
final class RegistryFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    RegistryFile(Path file) {
        this.file = file;
    }

    /** What the file holds. */
    record Content(List<ActivationCode> codes, List<ExtenderAccount> accounts) {
    }

    Content load() throws IOException {
        if (!Files.exists(file)) {
            return new Content(List.of(), List.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("the registry " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        List<ActivationCode> codes = new ArrayList<>();
        for (JsonNode n : root.path("activationCodes")) {
            // Codes stored before codes were single-use have neither field: they become single-use.
            codes.add(new ActivationCode(text(n, "code"), text(n, "customer"), Instant.parse(text(n, "expiresAt")),
                    n.path("reusable").asBoolean(false), n.path("used").asBoolean(false)));
        }
        List<ExtenderAccount> accounts = new ArrayList<>();
        for (JsonNode n : root.path("extenders")) {
            JsonNode pw = n.path("password");
            accounts.add(new ExtenderAccount(text(n, "id"), text(n, "customer"), n.path("hostname").asText(""),
                    n.path("version").asText(""), n.path("machine").asText(""),
                    new PasswordHash(pw.path("iterations").asInt(), text(pw, "salt"), text(pw, "hash")),
                    n.path("revoked").asBoolean(false), Instant.parse(text(n, "registeredAt")),
                    n.hasNonNull("registrationKey") ? n.get("registrationKey").asText() : null));
        }
        return new Content(codes, accounts);
    }

    void save(Collection<ActivationCode> codes, Collection<ExtenderAccount> accounts) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode codeArray = root.putArray("activationCodes");
        for (ActivationCode c : codes) {
            codeArray.addObject().put("code", c.code()).put("customer", c.customer())
                    .put("expiresAt", c.expiresAt().toString()).put("reusable", c.reusable()).put("used", c.used());
        }
        ArrayNode extenders = root.putArray("extenders");
        for (ExtenderAccount a : accounts) {
            ObjectNode n = extenders.addObject();
            n.put("id", a.id()).put("customer", a.customer()).put("hostname", a.hostname())
                    .put("version", a.version()).put("machine", a.machine()).put("revoked", a.revoked())
                    .put("registeredAt", a.registeredAt().toString()).put("registrationKey", a.registrationKey());
            n.putObject("password").put("iterations", a.password().iterations()).put("salt", a.password().salt())
                    .put("hash", a.password().hash());
        }
        // Owner-only, like every file with credentials (activation codes are credentials too).
        SecretFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException("the registry " + file + " has an entry without '" + field + "': " + node);
        }
        return value.asText();
    }
}
