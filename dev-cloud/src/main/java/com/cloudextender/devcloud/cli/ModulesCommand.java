package com.cloudextender.devcloud.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;

/** {@code modules}: a table of the module repository. */
@Command(name = "modules", mixinStandardHelpOptions = true, description = "List the published module packages.")
public final class ModulesCommand extends ClientCommand {
    @Override
    void run(ConsoleClient client) throws CliException {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "VERSION", "CHANNEL", "SIZE", "SHA256", "FILE"));
        for (JsonNode m : client.get("/api/v1/modules")) {
            rows.add(List.of(m.path("id").asText(), m.path("version").asText(), m.path("channel").asText(),
                    m.path("size").asText(), m.path("sha256").asText(), m.path("file").asText()));
        }
        System.out.print(Table.format(rows));
        if (rows.size() == 1) {
            System.out.println("(no package is published yet; see 'publish --help')");
        }
    }
}
