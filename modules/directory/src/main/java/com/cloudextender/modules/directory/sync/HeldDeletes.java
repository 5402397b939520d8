package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleState;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Deletions held back by the safety threshold, and the administrator's approval to send them, kept in
 * {@link ModuleState} as {@code held/<profile>} (a JSON array of {@code {"id","type"}}) and
 * {@code approved/<profile>} (how many deletions were approved).
 */
final class HeldDeletes {
    private HeldDeletes() {
    }

    static String heldKey(String profile) {
        return "held/" + profile;
    }

    static String approvedKey(String profile) {
        return "approved/" + profile;
    }

    /** The held deletions of {@code profile}, an empty array when none. */
    static ArrayNode held(ModuleState state, String profile) {
        return state.get(heldKey(profile)).map(HeldDeletes::parse).orElseGet(Json.MAPPER::createArrayNode);
    }

    /** How many deletions the administrator approved for {@code profile}'s next sync. */
    static Optional<Integer> approved(ModuleState state, String profile) {
        return state.get(approvedKey(profile)).map(b -> Integer.parseInt(new String(b, StandardCharsets.US_ASCII)));
    }

    static byte[] encode(ArrayNode held) {
        return Json.text(held).getBytes(StandardCharsets.UTF_8);
    }

    private static ArrayNode parse(byte[] bytes) {
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            return n instanceof ArrayNode a ? a : Json.MAPPER.createArrayNode();
        } catch (IOException e) {
            throw new UncheckedIOException("the held deletions in the module state are unreadable", e);
        }
    }
}
