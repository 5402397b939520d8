package com.cloudextender.devcloud.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code publish}: publishes a module package into the running dev cloud's repository. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a module package (.cxm); extenders with the feature enabled get it if it is newer.")
public final class PublishCommand extends ClientCommand {
    @Parameters(paramLabel = "PACKAGE", description = "The package file, <id>-<version>.cxm.")
    Path cxm;

    @Option(names = "--channel", defaultValue = "stable",
            description = "stable or pre-release (default: ${DEFAULT-VALUE}).")
    String channel;

    @Override
    void run(ConsoleClient client) throws CliException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(cxm);
        } catch (IOException e) {
            throw new CliException("cannot read the package " + cxm + ": " + e.getMessage());
        }
        JsonNode entry = client.postBytes("/api/v1/modules?channel=" + channel, bytes);
        System.out.printf("published %s %s on %s: %s (%d bytes, sha256 %s)%n", entry.path("id").asText(),
                entry.path("version").asText(), entry.path("channel").asText(), entry.path("path").asText(),
                entry.path("size").asLong(), entry.path("sha256").asText());
    }
}
