package com.cloudextender.devcloud.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code activation-code --customer C}: creates an activation code. */
@Command(name = "activation-code", mixinStandardHelpOptions = true, description = "Create an activation code for a customer.")
public final class ActivationCodeCommand extends ClientCommand {
    @Option(names = "--customer", required = true, paramLabel = "NAME", description = "The customer.")
    String customer;

    @Override
    void run(ConsoleClient client) throws CliException {
        JsonNode answer = client.post("/api/v1/activation-codes", new ObjectMapper().createObjectNode().put("customer", customer));
        System.out.println(answer.path("code").asText());
        System.out.println("(customer " + answer.path("customer").asText() + ", valid until "
                + answer.path("expiresAt").asText() + ", usable by any number of extenders)");
    }
}
