package com.cloudextender.modules.example;

import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON in and out, with Jackson. Thread-safe: an ObjectMapper is, once configured. */
final class Arguments {
    static final ObjectMapper JSON = new ObjectMapper();

    private Arguments() {
    }

    /** The command's arguments as a JSON object; INVALID_ARGUMENTS when they are not one. */
    static JsonNode of(Command command) throws CommandException {
        try {
            JsonNode node = JSON.readTree(command.arguments());
            if (node == null || !node.isObject()) {
                throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "the arguments must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "the arguments are not JSON: " + e.getOriginalMessage());
        }
    }

    /** A new, empty JSON object for a result. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** {@code node} as JSON text. */
    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }
}
