package com.cloudextender.devcloud.features;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.cloudextender.devcloud.modules.ReleaseChannel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a health report says about modules: the release channel the extender accepts, and the version of
 * each module it has (whatever its state: active, disabled, failed or scheduled).
 *
 * @param accepted the channel from {@code "releaseChannel"}; stable when absent or anything else
 * @param versions module id → version, from {@code "modules":[{"id","version",…}]}
 * @param pendingVersions module id → the version of a scheduled upgrade ({@code "pendingVersion"}), which
 *            the extender applies in its update window
 */
record HealthModules(ReleaseChannel accepted, Map<String, String> versions, Map<String, String> pendingVersions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    HealthModules {
        versions = Map.copyOf(versions);
        pendingVersions = Map.copyOf(pendingVersions);
    }

    /** Parses the report; empty if it is not a JSON object. */
    static Optional<HealthModules> parse(String reportJson) {
        JsonNode root;
        try {
            root = reportJson == null ? null : JSON.readTree(reportJson);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        Map<String, String> versions = new LinkedHashMap<>();
        Map<String, String> pending = new LinkedHashMap<>();
        for (JsonNode m : root.path("modules")) {
            String id = m.path("id").asText("");
            if (!id.isEmpty()) {
                versions.put(id, m.path("version").asText(""));
                if (m.hasNonNull("pendingVersion")) {
                    pending.put(id, m.get("pendingVersion").asText());
                }
            }
        }
        return Optional.of(new HealthModules(ReleaseChannel.acceptedBy(root.path("releaseChannel").asText(null)),
                versions, pending));
    }
}
