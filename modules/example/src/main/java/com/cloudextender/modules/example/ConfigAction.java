package com.cloudextender.modules.example;

import com.cloudextender.modules.support.Json;
import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ModuleConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;

/**
 * {@code config}: returns the non-secret configuration and whether {@code apiKey} is set. A secret's
 * value never leaves the extender.
 */
final class ConfigAction implements ActionHandler {
    private final ModuleConfig config;

    ConfigAction(ModuleConfig config) {
        this.config = config;
    }

    @Override
    public CommandResult execute(Command command) {
        ObjectNode values = Json.object();
        new TreeMap<>(config.values()).forEach((key, value) -> {
            if (!config.isSecret(key)) {
                values.put(key, value);
            }
        });
        ObjectNode result = Json.object();
        result.set("config", values);
        result.put("apiKeySet", config.get(ExampleModule.API_KEY).filter(v -> !v.isEmpty()).isPresent());
        return CommandResult.ok(Json.text(result));
    }
}
