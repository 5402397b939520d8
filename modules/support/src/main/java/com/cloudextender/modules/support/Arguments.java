package com.cloudextender.modules.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An action's arguments, a JSON object, read with messages that name the field; every failure is
 * {@link ErrorCode#INVALID_ARGUMENTS}. Values are never echoed back in messages, since one may be a
 * password. Immutable.
 */
public final class Arguments {
    private final ObjectNode json;

    private Arguments(ObjectNode json) {
        this.json = json;
    }

    /** Parses {@code text}, which must be a JSON object. */
    public static Arguments parse(String text) throws CommandException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw invalid("arguments: not JSON; send a JSON object");
        }
        if (!(node instanceof ObjectNode o)) {
            throw invalid("arguments: not a JSON object; send a JSON object");
        }
        return new Arguments(o);
    }

    /** The whole JSON object, for fields that need more than the typed getters. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The text field {@code name}, which must be present and not blank. */
    public String requireText(String name) throws CommandException {
        Optional<String> v = text(name);
        if (v.isEmpty() || v.get().isBlank()) {
            throw invalid(name + ": missing or empty; it is required");
        }
        return v.get();
    }

    /** The text field {@code name}, if present. */
    public Optional<String> text(String name) throws CommandException {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw invalid(name + ": not a text; send a JSON string");
        }
        return Optional.of(n.asText());
    }

    /** The array of texts {@code name}; empty when absent. */
    public List<String> texts(String name) throws CommandException {
        JsonNode n = json.get(name);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!(n instanceof ArrayNode a)) {
            throw invalid(name + ": not an array; send a JSON array of strings");
        }
        for (JsonNode e : a) {
            if (!e.isTextual()) {
                throw invalid(name + ": holds a value that is not a string; send strings only");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** The boolean field {@code name}, or {@code otherwise} when absent. */
    public boolean bool(String name, boolean otherwise) throws CommandException {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            return otherwise;
        }
        if (!n.isBoolean()) {
            throw invalid(name + ": not true or false");
        }
        return n.booleanValue();
    }

    /** The whole-number field {@code name} within {@code min..max}, or {@code otherwise} when absent. */
    public int integer(String name, int otherwise, int min, int max) throws CommandException {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            return otherwise;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw invalid(name + ": not a whole number");
        }
        int v = n.intValue();
        if (v < min || v > max) {
            throw invalid(name + ": " + v + " is out of range; allowed " + min + " to " + max);
        }
        return v;
    }

    /** An {@link ErrorCode#INVALID_ARGUMENTS} failure with {@code message}. */
    public static CommandException invalid(String message) {
        return new CommandException(ErrorCode.INVALID_ARGUMENTS, message);
    }
}
