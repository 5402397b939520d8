package com.cloudextender.modules.example;

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
        ObjectNode result = Arguments.object();
        result.put("text", Arguments.of(command).path("text").asText(""));
        result.put("greeting", greeting);
        result.put("version", version);
        return CommandResult.ok(Arguments.text(result));
    }
}
