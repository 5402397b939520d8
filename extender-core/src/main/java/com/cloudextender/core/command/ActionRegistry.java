package com.cloudextender.core.command;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.cloudextender.api.ActionHandler;

/**
 * Which actions each module offers. The {@code core} module registers itself at start; the module
 * manager registers and replaces modules while the extender runs, so lookups are lock-free reads of
 * immutable per-module tables.
 */
public final class ActionRegistry {
    /** A module as the registry knows it: its version and its actions. */
    public record ModuleActions(String id, String version, Map<String, ActionHandler> actions) {
        public ModuleActions {
            actions = Map.copyOf(actions);
        }
    }

    /** Module id and version, for status and health reports. */
    public record ModuleInfo(String id, String version) {
    }

    private final Map<String, ModuleActions> modules = new ConcurrentHashMap<>();

    /** Adds or replaces a module's action table. */
    public void register(ModuleActions module) {
        modules.put(module.id(), module);
    }

    /** Removes a module's action table; its commands then end with UNKNOWN_MODULE. */
    public void unregister(String id) {
        modules.remove(id);
    }

    public Optional<ModuleActions> module(String id) {
        return Optional.ofNullable(modules.get(id));
    }

    /** Installed modules sorted by id. */
    public List<ModuleInfo> installed() {
        return new TreeMap<>(modules).values().stream().map(m -> new ModuleInfo(m.id(), m.version())).toList();
    }
}
