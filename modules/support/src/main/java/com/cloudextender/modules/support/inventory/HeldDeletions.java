package com.cloudextender.modules.support.inventory;

import com.cloudextender.api.ModuleState;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Deletions held back by the threshold, and the administrator's approval to send them: state keys
 * {@code inventory/<name>/held} (a JSON array of ids) and {@code inventory/<name>/approved} (how many
 * deletions were approved for the next run).
 */
final class HeldDeletions {
    private final ModuleState state;
    final String heldKey;
    final String approvedKey;

    HeldDeletions(ModuleState state, String inventory) {
        this.state = state;
        this.heldKey = "inventory/" + inventory + "/held";
        this.approvedKey = "inventory/" + inventory + "/approved";
    }

    /** The ids held back, empty when none. */
    List<String> held() {
        List<String> out = new ArrayList<>();
        state.get(heldKey).ifPresent(bytes -> {
            try {
                JsonNode n = Json.MAPPER.readTree(bytes);
                n.forEach(e -> out.add(e.asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("the held deletions in the module state are unreadable", e);
            }
        });
        return out;
    }

    /** How many deletions the next run may send regardless of the threshold. */
    int approved() {
        return state.get(approvedKey).map(b -> Integer.parseInt(new String(b, StandardCharsets.US_ASCII))).orElse(0);
    }

    /** Approves the held deletions; how many. */
    int approve() {
        int n = held().size();
        if (n > 0) {
            state.put(approvedKey, Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        }
        return n;
    }

    static byte[] encode(Collection<String> ids) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        ids.forEach(a::add);
        return Json.text(a).getBytes(StandardCharsets.UTF_8);
    }
}
