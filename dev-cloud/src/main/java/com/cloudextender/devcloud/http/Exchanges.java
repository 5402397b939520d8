package com.cloudextender.devcloud.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** Reading JSON requests and writing JSON answers on a JDK {@link HttpExchange}. */
public final class Exchanges {
    /** The one JSON mapper of the HTTP API. */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Requests to the JSON API are small; anything bigger is a mistake or an attack. */
    private static final int MAX_JSON_BYTES = 1 << 20;

    private Exchanges() {
    }

    /** Reads the body as a JSON object, or fails with 400 naming what is wrong. */
    public static ObjectNode readJsonObject(HttpExchange exchange) throws IOException, ApiException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_JSON_BYTES + 1);
        }
        if (body.length > MAX_JSON_BYTES) {
            throw new ApiException(413, "the request body exceeds " + MAX_JSON_BYTES + " bytes");
        }
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; a JSON object is expected");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** A required, non-blank text field of {@code body}, or 400 naming the field. */
    public static String requiredText(ObjectNode body, String field) throws ApiException {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("field '" + field + "' is missing");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw ApiException.badRequest("field '" + field + "' must be a non-empty string");
        }
        return value.asText().trim();
    }

    /** An optional text field, or null; 400 if present with another type. */
    public static String optionalText(ObjectNode body, String field) throws ApiException {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        return value.asText().trim();
    }

    /** An optional non-negative integer field, or {@code defaultValue}; 400 if present with another type. */
    public static long optionalLong(ObjectNode body, String field, long defaultValue) throws ApiException {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw ApiException.badRequest("field '" + field + "' must be a non-negative integer");
        }
        return value.asLong();
    }

    /** Sends {@code body} as JSON with {@code status}. */
    public static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Sends {@code {"error":message}} with {@code status}. */
    public static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error", message);
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Parses {@code text} as JSON for embedding in an answer; text that is not JSON is embedded as a string. */
    public static JsonNode jsonOrText(String text) {
        if (text == null) {
            return JSON.nullNode();
        }
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }
}
