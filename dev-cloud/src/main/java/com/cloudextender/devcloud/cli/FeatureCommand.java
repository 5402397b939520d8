package com.cloudextender.devcloud.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code feature}: enables, reconfigures or disables a module for a customer. */
@Command(name = "feature", mixinStandardHelpOptions = true,
        description = "Enable a module for a customer (its extenders install it), change its configuration, "
                + "or disable it (they remove it). Then waits for the connected extenders' outcomes and prints "
                + "each with the extender's message; exits 1 when one of them failed.")
public final class FeatureCommand extends ClientCommand {
    @Option(names = "--customer", required = true, paramLabel = "NAME", description = "The customer.")
    String customer;

    @Option(names = "--module", required = true, paramLabel = "ID", description = "The module id.")
    String module;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A configuration setting; repeat for more.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--disable", description = "Disable the feature instead.")
    boolean disable;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "330",
            description = "How long to wait for the extenders' outcomes (default ${DEFAULT-VALUE}: an install may "
                    + "take 5 minutes); 0 does not wait.")
    int waitSeconds;

    @Override
    void run(ConsoleClient client) throws CliException {
        String path = "/api/v1/customers/" + segment(customer) + "/features/" + segment(module);
        if (disable) {
            client.delete(path);
            System.out.printf("feature %s disabled for %s%n", module, customer);
            report(client, path);
            return;
        }
        ObjectNode body = new ObjectMapper().createObjectNode();
        ObjectNode settings = body.putObject("config");
        config.forEach(settings::put);
        client.put(path, body);
        // Only the keys: values may be credentials.
        System.out.printf("feature %s enabled for %s with config keys %s%n", module, customer, config.keySet());
        report(client, path);
    }

    /** Waits until no extender's outcome is open (or the wait ends), then prints one line per extender. */
    private void report(ConsoleClient client, String path) throws CliException {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        JsonNode pushes = client.get(path + "/pushes");
        while (open(pushes) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
            pushes = client.get(path + "/pushes");
        }
        if (pushes.isEmpty()) {
            System.out.printf("no extender of %s has connected yet; each gets the change when it connects%n", customer);
        }
        int failed = 0;
        for (JsonNode p : pushes) {
            String state = p.path("state").asText();
            failed += state.equals("failed") ? 1 : 0;
            System.out.printf("  %s: %s%s%s%n", p.path("extender").asText(), describe(state),
                    p.hasNonNull("action") ? " (" + p.get("action").asText() + ")" : "",
                    p.hasNonNull("message") ? ": " + p.get("message").asText() : "");
        }
        if (failed > 0) {
            throw new CliException(failed + " extender(s) did not apply the change (see above); each tries again when "
                    + "it reconnects");
        }
        if (open(pushes)) {
            System.out.printf("still waiting after %d s; see GET %s/pushes%n", waitSeconds, path);
        }
    }

    private static boolean open(JsonNode pushes) {
        for (JsonNode p : pushes) {
            String state = p.path("state").asText();
            if (state.equals("pending") || state.equals("waiting")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(String state) {
        return switch (state) {
            case "done" -> "applied";
            case "failed" -> "FAILED";
            case "offline" -> "offline, gets it when it connects";
            case "unchanged" -> "already in line, nothing sent";
            case "waiting" -> "connected, waiting for its health report";
            default -> state;
        };
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
