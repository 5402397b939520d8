package com.cloudextender.modules.example;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandResult;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code echo}: returns the argument {@code text}, the configured greeting and the module version that answered. */
final class EchoAction implements ActionHandler {
    private final String version;
    private final String greeting;

    EchoAction(String version, String greeting) {
        this.version = version;
        this.greeting = greeting;
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        ObjectNode result = Json.object();
        result.put("text", Arguments.parse(command.arguments()).text("text").orElse(""));
        result.put("greeting", greeting);
        result.put("version", version);
        return CommandResult.ok(Json.text(result));
    }
}
