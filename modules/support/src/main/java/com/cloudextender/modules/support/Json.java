package com.cloudextender.modules.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A module's one JSON mapper, and the step from a result tree to a command result text. */
public final class Json {
    /** Thread-safe once configured, as Jackson documents. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * Reads and writes one small document, so that the mapper builds its tree reader and writer when the
     * module starts rather than during its first command. That first use loads and initialises about 400
     * of the module's own Jackson classes, about a fifth of a second on a 2-core machine, which the first
     * command (a first directory sync, an authentication) would otherwise wait for.
     */
    public static void prepare() {
        try {
            text(MAPPER.readTree("{\"text\":\"\\u00e9\",\"number\":1,\"decimal\":1.5,\"flag\":true,\"none\":null,"
                    + "\"list\":[{}],\"object\":{\"list\":[]}}"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the JSON mapper cannot read a constant document: " + e.getOriginalMessage(), e);
        }
    }

    /** A new empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code node} as compact JSON text. */
    public static String text(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
