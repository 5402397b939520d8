package com.cloudextender.modules.exchange;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.devices.CommandLog;
import com.cloudextender.modules.exchange.devices.Device;
import com.cloudextender.modules.exchange.devices.DeviceActions;
import com.cloudextender.modules.exchange.devices.Diagnosis;
import com.cloudextender.modules.exchange.devices.OrganizationActions;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.ChunkUploader;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.cloudextender.modules.support.lease.NotLeaseHolderException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The module's actions: argument checks, the call, and the result; changes are recorded by command id
 * so that a redelivered command returns its first result instead of changing the server twice.
 */
final class ExchangeActions {
    private final ExchangeBackend backend;
    private final InventorySync<Device> sync;
    private final ModuleContext context;
    private final CommandLog log;
    private final DeviceActions devices;
    private final OrganizationActions organization;

    ExchangeActions(ExchangeBackend backend, InventorySync<Device> sync, ModuleContext context, CommandLog log) {
        this.backend = backend;
        this.sync = sync;
        this.context = context;
        this.log = log;
        this.devices = new DeviceActions(backend);
        this.organization = new OrganizationActions(backend);
    }

    /** Every action by name, as the descriptor lists them. */
    Map<String, ActionHandler> all() {
        Map<String, ActionHandler> m = new LinkedHashMap<>();
        m.put("discover", c -> sync(true));
        m.put("sync", c -> sync(Arguments.parse(c.arguments()).bool("full", false)));
        m.put("heldDeletes", c -> heldDeletes());
        m.put("allowDeletes", this::allowDeletes);
        m.put("listPolicies", this::listPolicies);
        m.put("allow", c -> change(c, a -> devices.allow(a.requireText("deviceId"), a.text("mailbox"))));
        m.put("block", c -> change(c, a -> devices.block(a.requireText("deviceId"), a.text("mailbox"))));
        m.put("quarantine", c -> change(c, a -> devices.quarantine(a.requireText("operation"),
                a.requireText("deviceId"), a.text("mailbox"))));
        m.put("wipe", c -> change(c, a -> devices.wipe(a.requireText("deviceId"), a.text("mailbox"),
                a.bool("accountOnly", false), a.bool("cancel", false))));
        m.put("remove", c -> change(c, a -> devices.remove(a.requireText("deviceId"), a.text("mailbox"))));
        m.put("assignPolicy", c -> change(c, a -> organization.assignPolicy(a.requireText("mailbox"),
                a.requireText("policy"))));
        m.put("defaultAccessLevel", this::defaultAccessLevel);
        m.put("accessRules", this::accessRules);
        m.put("deviceStatistics", c -> read(c, a -> devices.statistics(a.requireText("deviceId"), a.text("mailbox"))));
        m.put("diagnose", c -> CommandResult.ok(Json.text(new Diagnosis(backend).run())));
        return m;
    }

    private interface Call {
        ObjectNode run(Arguments a) throws ExchangeException, InterruptedException, CommandException;
    }

    private CommandResult read(Command c, Call call) throws CommandException, InterruptedException {
        Arguments a = Arguments.parse(c.arguments());
        try {
            return CommandResult.ok(Json.text(call.run(a)));
        } catch (ExchangeException e) {
            throw e.toCommandException();
        }
    }

    private CommandResult change(Command c, Call call) throws CommandException, InterruptedException {
        Optional<String> done = log.result(c.id());
        if (done.isPresent()) {
            return CommandResult.ok(done.get()); // redelivered: the change was made once already
        }
        Arguments a = Arguments.parse(c.arguments());
        try {
            ObjectNode result = call.run(a);
            result.put("server", backend.version().product());
            String text = Json.text(result);
            log.record(c.id(), text);
            return CommandResult.ok(text);
        } catch (ExchangeException e) {
            throw e.toCommandException();
        }
    }

    private CommandResult sync(boolean full) throws CommandException {
        try {
            return CommandResult.ok(Json.text(sync.runOnRequest(full, ExchangeModule.LEASE).toJson()));
        } catch (InventorySync.BusyException e) {
            throw new CommandException(ErrorCode.BUSY, e.getMessage());
        } catch (NotLeaseHolderException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync was cancelled; nothing was committed");
        } catch (ExchangeException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.reason() + ": the sync failed and will send the "
                    + "same changes next time: " + e.getMessage());
        } catch (Exception e) {
            Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync failed and will send the same changes "
                    + "next time: " + cause.getMessage());
        }
    }

    private CommandResult heldDeletes() {
        ObjectNode o = Json.object();
        List<String> held = sync.held();
        o.put("count", held.size());
        held.stream().limit(1000).forEach(o.putArray("ids")::add);
        return CommandResult.ok(Json.text(o));
    }

    private CommandResult allowDeletes(Command c) throws CommandException {
        if (sync.approveHeld() == 0) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "no deletions are held; nothing to allow");
        }
        return sync(false);
    }

    private CommandResult listPolicies(Command c) throws CommandException, InterruptedException {
        Arguments a = Arguments.parse(c.arguments());
        boolean upload = a.bool("upload", false);
        try {
            List<ObjectNode> policies = organization.policies();
            ObjectNode o = Json.object();
            o.put("count", policies.size());
            ArrayNode list = o.putArray("policies");
            policies.forEach(list::add);
            if (upload) {
                ObjectNode header = Json.object();
                header.put("module", "exchange");
                header.put("inventory", "policies");
                try (ChunkUploader chunks = new ChunkUploader(context.uploads(), context.workDir().resolve("policies"),
                        "exchange-policies-" + System.currentTimeMillis() + "-", header, 5000, 8 << 20)) {
                    for (ObjectNode p : policies) {
                        ObjectNode line = Json.object();
                        line.put("op", "policy");
                        line.setAll(p);
                        chunks.write(line);
                    }
                    ArrayNode receipts = o.putArray("chunks");
                    for (UploadReceipt r : chunks.finish()) {
                        receipts.addObject().put("getUrl", r.getUrl()).put("sha256", r.sha256()).put("size", r.size());
                    }
                } catch (java.io.IOException e) {
                    throw new CommandException(ErrorCode.MODULE_FAILURE, "the policies were read but their upload "
                            + "failed: " + e.getMessage());
                }
            }
            return CommandResult.ok(Json.text(o));
        } catch (ExchangeException e) {
            throw e.toCommandException();
        }
    }

    private CommandResult defaultAccessLevel(Command c) throws CommandException, InterruptedException {
        Arguments a = Arguments.parse(c.arguments());
        Optional<String> level = a.text("level");
        return level.isPresent() ? change(c, x -> organization.defaultAccessLevel(level))
                : read(c, x -> organization.defaultAccessLevel(Optional.empty()));
    }

    private CommandResult accessRules(Command c) throws CommandException, InterruptedException {
        Arguments a = Arguments.parse(c.arguments());
        String op = a.text("operation").orElse("list");
        return switch (op) {
            case "list" -> read(c, x -> {
                ObjectNode o = Json.object();
                o.set("rules", organization.rules());
                return o;
            });
            case "add" -> change(c, x -> organization.addRule(x.requireText("characteristic"),
                    x.requireText("queryString"), x.requireText("accessLevel")));
            case "remove" -> change(c, x -> organization.removeRule(x.requireText("name")));
            default -> throw Arguments.invalid("operation: '" + op + "' is not list, add or remove");
        };
    }
}
