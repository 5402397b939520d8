package com.cloudextender.modules.bes;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.bes.client.BesException;
import com.cloudextender.modules.bes.devices.AttributeSet;
import com.cloudextender.modules.bes.devices.BesDevice;
import com.cloudextender.modules.bes.devices.DeviceActions;
import com.cloudextender.modules.bes.devices.DeviceJson;
import com.cloudextender.modules.bes.devices.DeviceSource;
import com.cloudextender.modules.bes.devices.UserDirectory;
import com.cloudextender.modules.bes.wire.Entity;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.commands.CommandLog;
import com.cloudextender.modules.support.inventory.ChunkUploader;
import com.cloudextender.modules.support.inventory.InventorySettings;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.cloudextender.modules.support.lease.NotLeaseHolderException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The module's actions: argument checks, the call, and the result. */
final class BesActions {
    /** A BlackBerry PIN: 8 hexadecimal digits. */
    private static final Pattern PIN = Pattern.compile("[0-9A-Fa-f]{8}");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@\"]+@[^\\s@\"]+");

    private final UserDirectory directory;
    private final DeviceActions devices;
    private final ModuleContext context;
    private final Set<AttributeSet> defaultSets;
    private final CommandLog log;
    private final Map<String, InventorySync<BesDevice>> syncs = new ConcurrentHashMap<>();

    BesActions(UserDirectory directory, DeviceActions devices, ModuleContext context, Set<AttributeSet> defaultSets,
               CommandLog log) {
        this.log = log;
        this.directory = directory;
        this.devices = devices;
        this.context = context;
        this.defaultSets = defaultSets;
    }

    Map<String, ActionHandler> all() {
        Map<String, ActionHandler> m = new LinkedHashMap<>();
        m.put("discover", c -> sync(Arguments.parse(c.arguments()), true));
        m.put("sync", c -> {
            Arguments a = Arguments.parse(c.arguments());
            return sync(a, a.bool("full", false));
        });
        m.put("heldDeletes", c -> heldDeletes(Arguments.parse(c.arguments())));
        m.put("allowDeletes", c -> allowDeletes(Arguments.parse(c.arguments())));
        m.put("listPolicies", this::listPolicies);
        m.put("version", c -> run(c, a -> devices.version()));
        m.put("registerUsers", c -> change(c, a -> devices.register(emails(a, "emails"))));
        m.put("refreshDevice", c -> run(c, a -> devices.refresh(email(a), pin(a))));
        m.put("resendPolicy", c -> change(c, a -> devices.resendPolicy(email(a), pin(a))));
        m.put("sendMessage", c -> change(c, a -> devices.sendMessage(emails(a, "emails"), a.text("subject").orElse(""),
                a.requireText("body"))));
        m.put("resetPasscode", c -> change(c, a -> devices.resetPasscode(email(a), pin(a), secret(a, "password"))));
        m.put("changePolicy", c -> change(c, a -> devices.changePolicy(email(a), a.requireText("policy"))));
        m.put("wipe", c -> change(c, a -> devices.wipe(email(a), pin(a))));
        m.put("removeUser", c -> change(c, a -> devices.removeUser(email(a))));
        m.put("activationPassword", c -> change(c, a -> devices.activationPassword(email(a), secret(a, "password"),
                a.integer("expiryHours", 48, 1, 720))));
        return m;
    }

    /** The scheduled delta of the configured attribute sets. */
    void scheduledSync(com.cloudextender.api.ModuleScheduler.Lease lease) {
        inventory(defaultSets).runScheduled(lease);
    }

    private interface Call {
        ObjectNode run(Arguments a) throws BesException, CommandException;
    }

    /**
     * A change: run once per command id. A command the cloud redelivers returns the first result
     * instead of changing the server again (a second wipe); a change that failed is not recorded.
     */
    private CommandResult change(Command c, Call call) throws CommandException {
        Optional<String> done = log.result(c.id());
        if (done.isPresent()) {
            return CommandResult.ok(done.get());
        }
        CommandResult r = run(c, call);
        log.record(c.id(), r.payload());
        return r;
    }

    private CommandResult run(Command c, Call call) throws CommandException {
        Arguments a = Arguments.parse(c.arguments());
        try {
            return CommandResult.ok(Json.text(call.run(a)));
        } catch (BesException e) {
            throw e.toCommandException();
        }
    }

    private static String email(Arguments a) throws CommandException {
        String e = a.requireText("email").trim();
        if (!EMAIL.matcher(e).matches()) {
            throw Arguments.invalid("email: not an e-mail address");
        }
        return e;
    }

    private static List<String> emails(Arguments a, String field) throws CommandException {
        List<String> list = a.texts(field);
        if (list.isEmpty() || list.size() > 500) {
            throw Arguments.invalid(field + ": give 1 to 500 e-mail addresses");
        }
        for (String e : list) {
            if (!EMAIL.matcher(e.trim()).matches()) {
                throw Arguments.invalid(field + ": '" + e + "' is not an e-mail address");
            }
        }
        return list.stream().map(String::trim).toList();
    }

    private static String pin(Arguments a) throws CommandException {
        String p = a.requireText("pin").trim();
        if (!PIN.matcher(p).matches()) {
            throw Arguments.invalid("pin: not a BlackBerry PIN (8 hexadecimal digits)");
        }
        return p.toUpperCase(java.util.Locale.ROOT);
    }

    private static String secret(Arguments a, String field) throws CommandException {
        String p = a.requireText(field);
        if (p.length() < 4 || p.length() > 32) {
            throw Arguments.invalid(field + ": must be 4 to 32 characters");
        }
        return p;
    }

    private Set<AttributeSet> sets(Arguments a) throws CommandException {
        List<String> names = a.texts("attributeSets");
        try {
            return names.isEmpty() ? defaultSets : AttributeSet.parse(names);
        } catch (IllegalArgumentException e) {
            throw Arguments.invalid(e.getMessage());
        }
    }

    private InventorySync<BesDevice> inventory(Set<AttributeSet> sets) {
        String name = AttributeSet.inventoryName(sets);
        return syncs.computeIfAbsent(name, n -> new InventorySync<>(
                InventorySettings.read(context.config(), "sync.", "bes", n), new DeviceSource(directory),
                new DeviceJson(sets), context));
    }

    private CommandResult sync(Arguments a, boolean full) throws CommandException {
        InventorySync<BesDevice> sync = inventory(sets(a));
        try {
            return CommandResult.ok(Json.text(sync.runOnRequest(full, BesModule.LEASE).toJson()));
        } catch (InventorySync.BusyException e) {
            throw new CommandException(ErrorCode.BUSY, e.getMessage());
        } catch (NotLeaseHolderException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync was cancelled; nothing was committed");
        } catch (BesException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.reason() + ": the sync failed and will send the "
                    + "same changes next time: " + e.getMessage());
        } catch (Exception e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync failed and will send the same changes "
                    + "next time: " + cause.getMessage());
        }
    }

    private CommandResult heldDeletes(Arguments a) throws CommandException {
        ObjectNode o = Json.object();
        List<String> held = inventory(sets(a)).held();
        o.put("count", held.size());
        held.stream().limit(1000).forEach(o.putArray("ids")::add);
        return CommandResult.ok(Json.text(o));
    }

    private CommandResult allowDeletes(Arguments a) throws CommandException {
        if (inventory(sets(a)).approveHeld() == 0) {
            throw Arguments.invalid("no deletions are held; nothing to allow");
        }
        return sync(a, false);
    }

    private CommandResult listPolicies(Command c) throws CommandException {
        Arguments a = Arguments.parse(c.arguments());
        boolean upload = a.bool("upload", false);
        try {
            List<Entity> policies = devices.policies();
            ObjectNode o = Json.object();
            o.put("count", policies.size());
            ArrayNode list = o.putArray("policies");
            policies.forEach(p -> list.add(DeviceActions.policyJson(p)));
            if (upload) {
                ObjectNode header = Json.object();
                header.put("module", "bes");
                header.put("inventory", "policies");
                try (ChunkUploader chunks = new ChunkUploader(context.uploads(), context.workDir().resolve("policies"),
                        "bes-policies-" + System.currentTimeMillis() + "-", header, 5000, 8 << 20)) {
                    for (Entity p : policies) {
                        ObjectNode line = Json.object();
                        line.put("op", "policy");
                        line.setAll(DeviceActions.policyJson(p));
                        chunks.write((Json.text(line) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    ArrayNode receipts = o.putArray("chunks");
                    for (UploadReceipt r : chunks.finish()) {
                        receipts.addObject().put("getUrl", r.getUrl()).put("sha256", r.sha256()).put("size", r.size());
                    }
                } catch (IOException e) {
                    throw new CommandException(ErrorCode.MODULE_FAILURE, "the IT policies were read but their upload "
                            + "failed: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CommandException(ErrorCode.MODULE_FAILURE, "the IT policy upload was cancelled");
                }
            }
            return CommandResult.ok(Json.text(o));
        } catch (BesException e) {
            throw e.toCommandException();
        }
    }
}
