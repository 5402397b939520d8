package com.cloudextender.devcloud.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.cloudextender.devcloud.features.Feature;
import com.cloudextender.devcloud.http.ApiException;
import com.cloudextender.devcloud.http.Exchanges;
import com.cloudextender.devcloud.modules.ModuleEntry;
import com.cloudextender.devcloud.modules.PackageRefusedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The console's module repository and feature endpoints (the console token is checked by the caller):
 *
 * <pre>
 * GET    /api/v1/modules                                  the repository index
 * POST   /api/v1/modules?channel=stable|pre-release       body: the .cxm bytes → 201 the new entry
 * GET    /api/v1/customers/{customer}/features            the customer's enabled features
 * PUT    /api/v1/customers/{customer}/features/{module}   {"config":{…}} → 201 enabled, 200 updated
 * DELETE /api/v1/customers/{customer}/features/{module}   204 disabled, 404 if it was not enabled
 * GET    /api/v1/customers/{customer}/features/{module}/pushes   where each extender stands with it:
 *        [{"extender","state":"pending|waiting|offline|done|failed|unchanged","action"?,"message"?}]
 * </pre>
 */
final class ModuleEndpoints {
    private final ConsoleBackend backend;

    ModuleEndpoints(ConsoleBackend backend) {
        this.backend = backend;
    }

    /** {@code /api/v1/modules}. */
    void modules(HttpExchange exchange) throws IOException, ApiException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                ArrayNode list = Exchanges.JSON.createArrayNode();
                for (ModuleEntry m : backend.modules()) {
                    list.add(ConsoleJson.module(m));
                }
                Exchanges.sendJson(exchange, 200, list);
            }
            case "POST" -> publish(exchange);
            default -> throw ApiException.methodNotAllowed(exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath());
        }
    }

    private void publish(HttpExchange exchange) throws IOException, ApiException {
        String channel = queryParameter(exchange, "channel");
        ModuleEntry entry;
        try (InputStream body = exchange.getRequestBody()) {
            entry = backend.publishModule(body, channel == null ? "stable" : channel);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("query parameter 'channel': " + e.getMessage());
        } catch (PackageRefusedException e) {
            throw new ApiException(e.conflict() ? 409 : 400, e.getMessage());
        }
        Exchanges.sendJson(exchange, 201, ConsoleJson.module(entry));
    }

    /** {@code /api/v1/customers/…}; {@code parts} are the path segments after {@code customers}. */
    void customers(HttpExchange exchange, String[] parts) throws IOException, ApiException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (parts.length < 2 || parts.length > 4 || !"features".equals(parts[1]) || parts[0].isBlank()
                || parts.length == 4 && !"pushes".equals(parts[3])) {
            throw ApiException.notFound("no such endpoint: " + method + " " + path
                    + "; use /api/v1/customers/{customer}/features[/{moduleId}[/pushes]]");
        }
        String customer = parts[0];
        if (parts.length == 4) {
            if (!"GET".equals(method)) {
                throw ApiException.methodNotAllowed(method, path);
            }
            ArrayNode list = Exchanges.JSON.createArrayNode();
            for (var p : backend.featurePushes(customer, parts[2])) {
                var o = list.addObject().put("extender", p.extenderId()).put("state", p.state());
                if (p.action() != null) {
                    o.put("action", p.action());
                }
                if (p.message() != null) {
                    o.put("message", p.message());
                }
            }
            Exchanges.sendJson(exchange, 200, list);
            return;
        }
        if (parts.length == 2) {
            if (!"GET".equals(method)) {
                throw ApiException.methodNotAllowed(method, path);
            }
            ArrayNode list = Exchanges.JSON.createArrayNode();
            for (Feature f : backend.features(customer)) {
                list.add(ConsoleJson.feature(f));
            }
            Exchanges.sendJson(exchange, 200, list);
            return;
        }
        String moduleId = parts[2];
        switch (method) {
            case "PUT" -> {
                Map<String, String> config = config(Exchanges.readJsonObject(exchange));
                boolean created;
                try {
                    created = backend.enableFeature(customer, moduleId, config);
                } catch (IllegalArgumentException e) {
                    throw ApiException.notFound(e.getMessage());
                }
                Exchanges.sendJson(exchange, created ? 201 : 200,
                        ConsoleJson.feature(new Feature(customer, moduleId, config)));
            }
            case "DELETE" -> {
                if (!backend.disableFeature(customer, moduleId)) {
                    throw ApiException.notFound("feature '" + moduleId + "' is not enabled for customer '" + customer
                            + "'");
                }
                exchange.sendResponseHeaders(204, -1);
            }
            default -> throw ApiException.methodNotAllowed(method, path);
        }
    }

    /** The {@code config} object: text values, numbers and booleans as their text; absent means empty. */
    private static Map<String, String> config(ObjectNode body) throws ApiException {
        JsonNode config = body.get("config");
        Map<String, String> values = new LinkedHashMap<>();
        if (config == null || config.isNull()) {
            return values;
        }
        if (!config.isObject()) {
            throw ApiException.badRequest("field 'config' must be a JSON object of settings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ApiException.badRequest("config '" + e.getKey() + "' must be a string, number or boolean");
            }
            values.put(e.getKey(), e.getValue().asText());
        }
        return values;
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
