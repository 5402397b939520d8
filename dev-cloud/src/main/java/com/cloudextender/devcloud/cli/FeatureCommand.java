package com.cloudextender.devcloud.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code feature}: enables, reconfigures or disables a module for a customer. */
@Command(name = "feature", mixinStandardHelpOptions = true,
        description = "Enable a module for a customer (its extenders install it), change its configuration, "
                + "or disable it (they remove it).")
public final class FeatureCommand extends ClientCommand {
    @Option(names = "--customer", required = true, paramLabel = "NAME", description = "The customer.")
    String customer;

    @Option(names = "--module", required = true, paramLabel = "ID", description = "The module id.")
    String module;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A configuration setting; repeat for more.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--disable", description = "Disable the feature instead.")
    boolean disable;

    @Override
    void run(ConsoleClient client) throws CliException {
        String path = "/api/v1/customers/" + segment(customer) + "/features/" + segment(module);
        if (disable) {
            client.delete(path);
            System.out.printf("feature %s disabled for %s%n", module, customer);
            return;
        }
        ObjectNode body = new ObjectMapper().createObjectNode();
        ObjectNode settings = body.putObject("config");
        config.forEach(settings::put);
        client.put(path, body);
        // Only the keys: values may be credentials.
        System.out.printf("feature %s enabled for %s with config keys %s%n", module, customer, config.keySet());
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
