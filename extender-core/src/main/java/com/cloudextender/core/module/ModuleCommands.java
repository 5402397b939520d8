package com.cloudextender.core.module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.core.command.ActionRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The built-in {@code modules} module: the cloud's commands to list, install, upgrade, configure,
 * enable, disable and remove modules (docs/PROTOCOL.md, section 9).
 */
public final class ModuleCommands {
    public static final String MODULE = "modules";

    private final ModuleManager manager;
    private final ModuleDownloader downloader;
    private final Supplier<String> releaseChannel;
    private final ObjectMapper json = new ObjectMapper();

    public ModuleCommands(ModuleManager manager, org.apache.hc.client5.http.impl.classic.CloseableHttpClient http,
            Path incoming, long maxPackageBytes, Supplier<String> releaseChannel) {
        this.manager = manager;
        this.downloader = new ModuleDownloader(http, incoming, maxPackageBytes);
        this.releaseChannel = releaseChannel;
    }

    public ActionRegistry.ModuleActions module(String version) {
        Map<String, ActionHandler> a = new LinkedHashMap<>();
        a.put("list", c -> {
            Map<String, Object> list = new LinkedHashMap<>(); // a stable field order on the wire
            list.put("releaseChannel", releaseChannel.get());
            list.put("modules", manager.report());
            return ok(list);
        });
        a.put("install", c -> install(c, false));
        a.put("upgrade", c -> install(c, true));
        a.put("configure", c -> change(() -> manager.configure(id(c), config(args(c), true))));
        a.put("enable", c -> change(() -> manager.enable(id(c))));
        a.put("disable", c -> change(() -> manager.disable(id(c))));
        a.put("remove", c -> change(() -> manager.remove(id(c))));
        return new ActionRegistry.ModuleActions(MODULE, version, a);
    }

    private CommandResult install(Command c, boolean upgrade) throws Exception {
        JsonNode args = args(c);
        String url = text(args, "url", true);
        String sha = text(args, "sha256", true);
        String expected = text(args, "id", upgrade);
        if (upgrade && !manager.isInstalled(expected)) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "module '" + expected
                    + "' is not installed; use install");
        }
        Map<String, String> config = args.has("config") ? config(args, true) : null;
        ModuleManager.InstallOptions options = new ModuleManager.InstallOptions(expected,
                args.path("now").asBoolean(false), args.path("allowDowngrade").asBoolean(false));
        String operation = upgrade ? "upgrade" : "install";
        Path file;
        try {
            file = downloader.fetch(url, sha);
        } catch (ModuleFailure e) {
            manager.refused(operation, expected, null, e.getMessage()); // the message names the URL without its query
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.getMessage(), e);
        }
        String source = "package " + packageName(url) + (expected == null ? "" : " of module " + expected);
        try {
            return change(() -> manager.install(file, source, config, options));
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // removed at the next start
            }
        }
    }

    /** The last segment of the package URL's path (e.g. directory-1.2.0.cxm), which names the package for people. */
    static String packageName(String url) {
        try {
            String path = java.net.URI.create(url).getPath();
            String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            return last.isEmpty() ? url : last;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private interface Operation {
        ModuleManager.Change run() throws Exception;
    }

    private CommandResult change(Operation op) throws Exception {
        try {
            return ok(op.run().toMap());
        } catch (ModuleFailure e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.getMessage(), e);
        }
    }

    private JsonNode args(Command c) throws CommandException {
        try {
            return json.readTree(c.arguments());
        } catch (JsonProcessingException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "arguments are not JSON: " + e.getOriginalMessage());
        }
    }

    private String id(Command c) throws CommandException {
        return text(args(c), "id", true);
    }

    private static String text(JsonNode args, String field, boolean required) throws CommandException {
        JsonNode v = args.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "'" + field + "' is missing");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "'" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    /** The {@code config} object: every value a string, number or boolean, kept as text. */
    private static Map<String, String> config(JsonNode args, boolean required) throws CommandException {
        JsonNode cfg = args.get("config");
        if (cfg == null || cfg.isNull()) {
            if (required) {
                throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "'config' is missing");
            }
            return Map.of();
        }
        if (!cfg.isObject()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "'config' must be an object of settings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = cfg.fields(); it.hasNext();) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "config '" + e.getKey()
                        + "' must be a string, number or boolean");
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    private CommandResult ok(Object value) throws JsonProcessingException {
        return CommandResult.ok(json.writeValueAsString(value));
    }
}
