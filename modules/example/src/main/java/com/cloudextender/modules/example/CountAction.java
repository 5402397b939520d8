package com.cloudextender.modules.example;

import com.cloudextender.modules.support.Json;
import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandResult;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code count}: increments the durable counter and returns it; it survives restarts and upgrades. */
final class CountAction implements ActionHandler {
    private final Counter counter;

    CountAction(Counter counter) {
        this.counter = counter;
    }

    @Override
    public CommandResult execute(Command command) {
        ObjectNode result = Json.object();
        result.put("count", counter.increment());
        return CommandResult.ok(Json.text(result));
    }
}
