package com.cloudextender.devcloud.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;

/** {@code extenders}: a table of the registered extenders. */
@Command(name = "extenders", mixinStandardHelpOptions = true, description = "List the registered extenders.")
public final class ExtendersCommand extends ClientCommand {
    @Override
    void run(ConsoleClient client) throws CliException {
        JsonNode list = client.get("/api/v1/extenders");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "CUSTOMER", "CONNECTED", "STATE", "VERSION", "SINCE"));
        for (JsonNode e : list) {
            JsonNode health = e.path("lastHealth");
            rows.add(List.of(e.path("id").asText(), e.path("customer").asText(),
                    e.path("connected").asBoolean() ? "yes" : "no", health.path("state").asText("-"),
                    health.path("version").asText("-"), e.path("connectedSince").asText("-")));
        }
        System.out.print(Table.format(rows));
        if (rows.size() == 1) {
            System.out.println("(no extender has registered yet)");
        }
    }
}
