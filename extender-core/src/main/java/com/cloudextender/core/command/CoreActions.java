package com.cloudextender.core.command;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The always-present {@code core} module: {@code ping}, {@code status} and the diagnostic {@code sleep}. */
public final class CoreActions {
    public static final String MODULE = "core";
    static final long MAX_SLEEP_MILLIS = 600_000;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final Supplier<Map<String, Object>> status;

    /** @param status builds the status report (see docs/PROTOCOL.md, core/status) */
    public CoreActions(Clock clock, Supplier<Map<String, Object>> status) {
        this.clock = clock;
        this.status = status;
    }

    public ActionRegistry.ModuleActions module(String version) {
        Map<String, ActionHandler> actions = new LinkedHashMap<>();
        actions.put("ping", this::ping);
        actions.put("status", c -> ok(status.get()));
        actions.put("sleep", this::sleep);
        return new ActionRegistry.ModuleActions(MODULE, version, actions);
    }

    private CommandResult ping(Command c) throws Exception {
        JsonNode args = json.readTree(c.arguments());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("echo", args.get("echo"));
        out.put("time", clock.instant().toString());
        return ok(out);
    }

    private CommandResult sleep(Command c) throws Exception {
        JsonNode millis = json.readTree(c.arguments()).get("millis");
        if (millis == null || !millis.canConvertToLong() || millis.asLong() < 0 || millis.asLong() > MAX_SLEEP_MILLIS) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS,
                    "'millis' must be a whole number from 0 to " + MAX_SLEEP_MILLIS);
        }
        Thread.sleep(millis.asLong());
        return ok(Map.of("slept", millis.asLong()));
    }

    private CommandResult ok(Object value) throws JsonProcessingException {
        return CommandResult.ok(json.writeValueAsString(value));
    }
}
