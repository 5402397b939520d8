package com.cloudextender.devcloud.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code send}: sends a command and prints its outcome (or its id while it is pending). It exits 1 when the
 * outcome is an error ({@code "ok":false}), so that scripts can rely on the exit code.
 */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Send a command to an extender or a customer.")
public final class SendCommand extends ClientCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--extender", paramLabel = "ID", description = "The extender id (ext-…).")
        String extender;

        @Option(names = "--customer", paramLabel = "NAME", description = "Any healthy extender of this customer.")
        String customer;
    }

    @Option(names = "--module", required = true, description = "Module, e.g. core.")
    String module;

    @Option(names = "--action", required = true, description = "Action, e.g. ping.")
    String action;

    @Option(names = "--args", paramLabel = "JSON", defaultValue = "{}", description = "Arguments as a JSON object (default: {}).")
    String arguments;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "The command's time limit (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--wait-ms", defaultValue = "10000", description = "How long to wait for the outcome (default: ${DEFAULT-VALUE}).")
    long waitMs;

    @Override
    void run(ConsoleClient client) throws CliException {
        JsonNode args;
        try {
            args = new ObjectMapper().readTree(arguments);
        } catch (Exception e) {
            throw new CliException("--args is not valid JSON: " + e.getMessage());
        }
        ObjectNode body = new ObjectMapper().createObjectNode();
        if (target.extender != null) {
            body.put("extender", target.extender);
        } else {
            body.put("customer", target.customer);
        }
        body.put("module", module).put("action", action).put("timeoutMs", timeoutMs).put("waitMs", waitMs);
        body.set("arguments", args);
        JsonNode answer = client.post("/api/v1/commands", body);
        System.out.println(ConsoleClient.pretty(answer));
        if ("pending".equals(answer.path("status").asText())) {
            System.out.println("(still pending; see it later with: result " + answer.path("commandId").asText() + ")");
        } else if (answer.has("ok") && !answer.path("ok").asBoolean()) {
            throw new CliException("command " + answer.path("commandId").asText() + " ended with "
                    + answer.path("errorCode").asText("an error"));
        }
    }
}
