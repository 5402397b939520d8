package com.cloudextender.modules.exchange.testing;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Runs a module's actions as the host would, and reads results. */
public final class Commands {
    private final Map<String, ActionHandler> actions;

    public Commands(Map<String, ActionHandler> actions) {
        this.actions = actions;
    }

    /** Runs {@code action} with a new command id; the parsed result, or the CommandException thrown. */
    public JsonNode ok(String action, String args) throws Exception {
        return ok(action, args, UUID.randomUUID().toString());
    }

    public JsonNode ok(String action, String args, String commandId) throws Exception {
        CommandResult r = actions.get(action).execute(new Command(commandId, "exchange", action, args, Duration.ofMinutes(1)));
        if (!r.isOk()) {
            throw new AssertionError(action + " failed: " + r);
        }
        return InMemoryExchange.JSON.readTree(r.payload());
    }

    /** Runs {@code action}, which must fail; the exception. */
    public CommandException fails(String action, String args) throws Exception {
        try {
            CommandResult r = actions.get(action).execute(new Command(UUID.randomUUID().toString(), "exchange", action, args,
                    Duration.ofMinutes(1)));
            throw new AssertionError(action + " should have failed but returned " + r);
        } catch (CommandException e) {
            return e;
        }
    }
}
