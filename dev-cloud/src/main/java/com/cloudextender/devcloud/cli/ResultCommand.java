package com.cloudextender.devcloud.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code result ID}: the status and outcome of a command. */
@Command(name = "result", mixinStandardHelpOptions = true, description = "Show a command's status and outcome.")
public final class ResultCommand extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The command id printed by 'send'.")
    String commandId;

    @Override
    void run(ConsoleClient client) throws CliException {
        System.out.println(ConsoleClient.pretty(client.get("/api/v1/commands/" + commandId)));
    }
}
