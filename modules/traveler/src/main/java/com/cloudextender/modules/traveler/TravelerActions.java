package com.cloudextender.modules.traveler;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.commands.CommandLog;
import com.cloudextender.modules.support.inventory.ChunkUploader;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.cloudextender.modules.support.lease.NotLeaseHolderException;
import com.cloudextender.modules.traveler.api.TravelerException;
import com.cloudextender.modules.traveler.devices.Device;
import com.cloudextender.modules.traveler.devices.DeviceActions;
import com.cloudextender.modules.traveler.settings.SettingsActions;
import com.cloudextender.modules.traveler.settings.SettingsActions.ApprovalChange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The module's actions: argument checks, the call, and the result or a typed failure. */
final class TravelerActions {
    private static final Logger LOG = LoggerFactory.getLogger(TravelerActions.class);
    private final InventorySync<Device> sync;
    private final DeviceActions devices;
    private final SettingsActions settings;
    private final ModuleContext context;
    private final String server;
    private final CommandLog log;

    TravelerActions(InventorySync<Device> sync, DeviceActions devices, SettingsActions settings, ModuleContext context,
                    String server, CommandLog log) {
        this.log = log;
        this.sync = sync;
        this.devices = devices;
        this.settings = settings;
        this.context = context;
        this.server = server;
    }

    /** Every action by name, as the descriptor lists them. */
    Map<String, ActionHandler> all() {
        Map<String, ActionHandler> m = new LinkedHashMap<>();
        m.put("discover", c -> sync(true));
        m.put("sync", c -> sync(Arguments.parse(c.arguments()).bool("full", false)));
        m.put("heldDeletes", c -> heldDeletes());
        m.put("allowDeletes", c -> allowDeletes());
        m.put("listPolicies", this::listPolicies);
        m.put("device", c -> call(c, a -> devices.state(a.requireText("deviceId"), a.text("user"))));
        m.put("approve", c -> change(c, a -> devices.approve(a.requireText("deviceId"), a.text("user"))));
        m.put("deny", c -> change(c, a -> devices.deny(a.requireText("deviceId"), a.text("user"))));
        m.put("wipe", c -> change(c, a -> devices.wipe(a.requireText("deviceId"), a.text("user"), a.texts("options"))));
        m.put("clearWipe", c -> change(c, a -> devices.clear(a.requireText("deviceId"), a.text("user"))));
        m.put("remove", c -> change(c, a -> devices.remove(a.requireText("deviceId"), a.text("user"))));
        m.put("approvalSettings", c -> {
            ApprovalChange change = approvalChange(Arguments.parse(c.arguments()));
            return change.isEmpty() ? call(c, a -> settings.approvalSettings(change))
                    : change(c, a -> settings.approvalSettings(change));
        });
        return m;
    }

    private interface Call {
        ObjectNode run(Arguments a) throws TravelerException, InterruptedException, CommandException;
    }

    private CommandResult call(Command c, Call call) throws CommandException, InterruptedException {
        Arguments a = Arguments.parse(c.arguments());
        try {
            ObjectNode result = call.run(a);
            result.put("server", server);
            return CommandResult.ok(Json.text(result));
        } catch (TravelerException e) {
            throw e.toCommandException();
        }
    }

    /** A change: a redelivered command (same id) returns its first result instead of acting again. */
    private CommandResult change(Command c, Call call) throws CommandException, InterruptedException {
        Optional<String> done = log.result(c.id());
        if (done.isPresent()) {
            return CommandResult.ok(done.get());
        }
        CommandResult r = call(c, call);
        log.record(c.id(), r.payload());
        LOG.info("Traveler {} applied and read back (command {})", c.action(), c.id());
        return r;
    }

    private static ApprovalChange approvalChange(Arguments a) throws CommandException {
        ObjectNode json = a.json();
        Optional<Boolean> require = json.hasNonNull("requireApproval")
                ? Optional.of(a.bool("requireApproval", false)) : Optional.empty();
        Optional<Integer> before = json.hasNonNull("devicesBeforeApproval")
                ? Optional.of(a.integer("devicesBeforeApproval", 0, 0, 1000)) : Optional.empty();
        Optional<List<String>> notify = json.hasNonNull("notifyAddresses")
                ? Optional.of(a.texts("notifyAddresses")) : Optional.empty();
        return new ApprovalChange(require, before, notify);
    }

    private CommandResult sync(boolean full) throws CommandException {
        try {
            return CommandResult.ok(Json.text(sync.runOnRequest(full, TravelerModule.LEASE).toJson()));
        } catch (InventorySync.BusyException e) {
            throw new CommandException(ErrorCode.BUSY, e.getMessage());
        } catch (NotLeaseHolderException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync was cancelled; nothing was committed");
        } catch (TravelerException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.reason() + ": the sync failed and will send the "
                    + "same changes next time: " + e.getMessage(), e);
        } catch (Exception e) {
            Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync failed and will send the same changes "
                    + "next time: " + cause.getMessage(), e);
        }
    }

    private CommandResult heldDeletes() {
        ObjectNode o = Json.object();
        List<String> held = sync.held();
        o.put("count", held.size());
        held.stream().limit(1000).forEach(o.putArray("ids")::add);
        return CommandResult.ok(Json.text(o));
    }

    private CommandResult allowDeletes() throws CommandException {
        if (sync.approveHeld() == 0) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "no deletions are held; nothing to allow");
        }
        return sync(false);
    }

    private CommandResult listPolicies(Command c) throws CommandException, InterruptedException {
        boolean upload = Arguments.parse(c.arguments()).bool("upload", false);
        ObjectNode o;
        try {
            o = settings.policies();
        } catch (TravelerException e) {
            throw e.toCommandException();
        }
        if (upload) {
            ObjectNode header = Json.object();
            header.put("module", "traveler");
            header.put("inventory", "policies");
            try (ChunkUploader chunks = new ChunkUploader(context.uploads(), context.workDir().resolve("policies"),
                    "traveler-policies-" + System.currentTimeMillis() + "-", header, 5000, 8 << 20)) {
                for (JsonNode p : o.get("policies")) {
                    ObjectNode line = Json.object();
                    line.put("op", "policy");
                    if (p.isObject()) {
                        line.setAll((ObjectNode) p);
                    }
                    chunks.write(line);
                }
                ObjectNode defaults = Json.object();
                defaults.put("op", "defaultSettings");
                defaults.set("settings", o.get("defaultSettings"));
                chunks.write(defaults);
                ArrayNode receipts = o.putArray("chunks");
                for (UploadReceipt r : chunks.finish()) {
                    receipts.addObject().put("getUrl", r.getUrl()).put("sha256", r.sha256()).put("size", r.size());
                }
            } catch (IOException e) {
                throw new CommandException(ErrorCode.MODULE_FAILURE, "the policies were read but their upload failed: "
                        + e.getMessage(), e);
            }
        }
        o.put("server", server);
        return CommandResult.ok(Json.text(o));
    }
}
