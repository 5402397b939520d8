package com.cloudextender.devcloud.console;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.ExtenderView;
import com.cloudextender.devcloud.ResultView;
import com.cloudextender.devcloud.UploadView;
import com.cloudextender.devcloud.auth.Secrets;
import com.cloudextender.devcloud.http.ApiException;
import com.cloudextender.devcloud.http.Exchanges;
import com.cloudextender.devcloud.http.JsonHandler;
import com.cloudextender.devcloud.registration.ActivationCode;
import com.cloudextender.devcloud.routing.CommandRouter;
import com.cloudextender.devcloud.routing.CommandTarget;
import com.cloudextender.devcloud.routing.SentCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The console's REST API under {@code /api/v1/}, for people and scripts. Every request needs
 * {@code Authorization: Bearer <console token>} (the token is in the data directory's
 * {@code console-token} file); without it the answer is 401.
 *
 * <pre>
 * GET  /api/v1/extenders           the extenders, connected or not, with their last health
 * POST /api/v1/activation-codes    {"customer":"acme"} → 201 {"code":…,"customer":…,"expiresAt":…}
 * POST /api/v1/commands            {"extender":"ext-…" | "customer":"acme", "module", "action",
 *                                  "arguments":{…}, "timeoutMs":30000, "waitMs":10000}
 *                                  → 200 outcome, or 202 {"commandId":…,"status":"pending"}
 * GET  /api/v1/commands/{id}       status, and the outcome when done
 * GET  /api/v1/uploads             upload slots
 * GET  /api/v1/results             every distinct result received
 * </pre>
 *
 * <p>The module repository and the features: see {@link ModuleEndpoints}.
 */
public final class ConsoleHandler extends JsonHandler {
    /** Where the handler is mounted. */
    public static final String PATH = "/api/v1/";

    private static final long DEFAULT_TIMEOUT_MS = 30_000;
    private static final long DEFAULT_WAIT_MS = 10_000;
    /** The longest time limit a command may carry: the extender's own upper bound for {@code commands.maxTimeout}. */
    static final long MAX_TIMEOUT_MS = CommandRouter.MAX_TIMEOUT.toMillis();
    /** An HTTP worker waits at most this long for an outcome; longer commands are polled by id. */
    private static final long MAX_WAIT_MS = 120_000;

    private final ConsoleBackend backend;
    private final ModuleEndpoints modules;
    private final String token;

    public ConsoleHandler(ConsoleBackend backend, String token) {
        this.backend = backend;
        this.modules = new ModuleEndpoints(backend);
        this.token = token;
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException, ApiException {
        String presented = Secrets.bearerToken(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!Secrets.equal(token, presented)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"dev-cloud console\"");
            throw new ApiException(401, presented == null
                    ? "the console needs 'Authorization: Bearer <token>' (the token is in the data directory's console-token file)"
                    : "the bearer token is not the console token");
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String resource = path.substring(PATH.length()).replaceAll("/+$", "");
        switch (resource) {
            case "extenders" -> {
                requireMethod(method, "GET", path);
                ArrayNode list = Exchanges.JSON.createArrayNode();
                for (ExtenderView e : backend.extenders()) {
                    list.add(ConsoleJson.extender(e));
                }
                Exchanges.sendJson(exchange, 200, list);
            }
            case "activation-codes" -> {
                requireMethod(method, "POST", path);
                String customer = Exchanges.requiredText(Exchanges.readJsonObject(exchange), "customer");
                ActivationCode code = backend.createActivationCode(customer);
                ObjectNode answer = Exchanges.JSON.createObjectNode().put("code", code.code())
                        .put("customer", code.customer()).put("expiresAt", code.expiresAt().toString());
                Exchanges.sendJson(exchange, 201, answer);
            }
            case "commands" -> {
                requireMethod(method, "POST", path);
                sendCommand(exchange);
            }
            case "uploads" -> {
                requireMethod(method, "GET", path);
                ArrayNode list = Exchanges.JSON.createArrayNode();
                for (UploadView u : backend.uploads()) {
                    list.add(ConsoleJson.upload(u));
                }
                Exchanges.sendJson(exchange, 200, list);
            }
            case "results" -> {
                requireMethod(method, "GET", path);
                ArrayNode list = Exchanges.JSON.createArrayNode();
                for (ResultView r : backend.results()) {
                    list.add(ConsoleJson.result(r));
                }
                Exchanges.sendJson(exchange, 200, list);
            }
            case "modules" -> modules.modules(exchange);
            default -> {
                if (resource.startsWith("customers/")) {
                    modules.customers(exchange, resource.substring("customers/".length()).split("/", -1));
                } else if (resource.startsWith("commands/")) {
                    requireMethod(method, "GET", path);
                    String id = resource.substring("commands/".length());
                    Exchanges.sendJson(exchange, 200, ConsoleJson.status(backend.command(id)
                            .orElseThrow(() -> ApiException.notFound("no command '" + id + "' is known"))));
                } else {
                    throw ApiException.notFound("no such endpoint: " + method + " " + path);
                }
            }
        }
    }

    private void sendCommand(HttpExchange exchange) throws IOException, ApiException {
        ObjectNode body = Exchanges.readJsonObject(exchange);
        String extender = Exchanges.optionalText(body, "extender");
        String customer = Exchanges.optionalText(body, "customer");
        if ((extender == null) == (customer == null)) {
            throw ApiException.badRequest("give exactly one of 'extender' and 'customer'");
        }
        String module = Exchanges.requiredText(body, "module");
        String action = Exchanges.requiredText(body, "action");
        JsonNode arguments = body.get("arguments");
        String argumentsJson = arguments == null || arguments.isNull() ? "{}" : arguments.toString();
        long timeoutMs = Exchanges.optionalLong(body, "timeoutMs", DEFAULT_TIMEOUT_MS);
        if (timeoutMs == 0) {
            throw ApiException.badRequest("field 'timeoutMs' must be positive");
        }
        if (timeoutMs > MAX_TIMEOUT_MS) {
            throw ApiException.badRequest("field 'timeoutMs' is " + timeoutMs + "; it must be at most " + MAX_TIMEOUT_MS
                    + " (7 days)");
        }
        long waitMs = Math.min(Exchanges.optionalLong(body, "waitMs", DEFAULT_WAIT_MS), MAX_WAIT_MS);
        CommandTarget target = extender != null ? CommandTarget.extender(extender) : CommandTarget.customer(customer);

        SentCommand sent;
        try {
            sent = backend.send(target, module, action, argumentsJson, Duration.ofMillis(timeoutMs));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        }
        CommandOutcome outcome = null;
        try {
            outcome = sent.outcome().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still pending: the client polls GET /api/v1/commands/{id}
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("command outcomes never fail", e.getCause());
        }
        if (outcome != null) {
            Exchanges.sendJson(exchange, 200, ConsoleJson.outcome(outcome));
        } else {
            Exchanges.sendJson(exchange, 202, Exchanges.JSON.createObjectNode().put("commandId", sent.commandId())
                    .put("status", "pending"));
        }
    }

    private static void requireMethod(String method, String expected, String path) throws ApiException {
        if (!expected.equals(method)) {
            throw ApiException.methodNotAllowed(method, path);
        }
    }
}
