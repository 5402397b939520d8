package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.connect.HostNameCheck;
import com.cloudextender.modules.support.lease.NotLeaseHolderException;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sync actions: {@code sync {"full"?, "profile"?}}, {@code resync {"profile"?}} (a full snapshot),
 * {@code heldDeletes {"profile"?, "limit"?}} and {@code allowDeletes {"profile"?}} (approves the held
 * deletions and runs a delta that sends them).
 */
public final class SyncActions {
    private final DirectorySync sync;

    public SyncActions(DirectorySync sync) {
        this.sync = sync;
    }

    public CommandResult sync(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        return run(args.bool("full", false), selected(args.text("profile")));
    }

    public CommandResult resync(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        return run(true, selected(args.text("profile")));
    }

    public CommandResult heldDeletes(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        int limit = args.integer("limit", 1000, 1, 100_000);
        ObjectNode out = Json.object();
        ArrayNode profiles = out.putArray("profiles");
        for (String p : selected(args.text("profile"))) {
            ArrayNode held = sync.held(p);
            ObjectNode o = profiles.addObject();
            o.put("profile", p);
            o.put("count", held.size());
            ArrayNode list = o.putArray("deletes");
            for (int i = 0; i < Math.min(limit, held.size()); i++) {
                list.add(held.get(i));
            }
        }
        return CommandResult.ok(Json.text(out));
    }

    public CommandResult allowDeletes(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        Set<String> approved = new LinkedHashSet<>();
        for (String p : selected(args.text("profile"))) {
            try {
                if (sync.approve(p) > 0) {
                    approved.add(p);
                }
            } catch (NotLeaseHolderException e) {
                throw new CommandException(ErrorCode.MODULE_FAILURE, e.getMessage());
            }
        }
        if (approved.isEmpty()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "no deletions are held"
                    + args.text("profile").map(p -> " for profile " + p).orElse("") + "; nothing to allow");
        }
        return run(false, approved);
    }

    private Set<String> selected(Optional<String> profile) throws CommandException {
        if (sync.profiles().isEmpty()) {
            throw new CommandException(ErrorCode.MODULE_FAILURE,
                    "sync is not configured; set sync.profiles to the profiles to synchronise");
        }
        if (profile.isEmpty()) {
            return sync.profiles();
        }
        if (!sync.profiles().contains(profile.get())) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "profile: '" + profile.get()
                    + "' is not synchronised; sync.profiles=" + String.join(",", sync.profiles()));
        }
        return Set.of(profile.get());
    }

    private CommandResult run(boolean full, Set<String> profiles) throws CommandException {
        List<SyncReport> reports;
        try {
            reports = sync.run(full, profiles);
        } catch (DirectorySync.SyncBusyException | NotLeaseHolderException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync was cancelled; nothing was committed");
        } catch (Exception e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the sync failed and will send the same changes "
                    + "next time: " + HostNameCheck.describe(e));
        }
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("profiles");
        for (SyncReport r : reports) {
            ObjectNode o = arr.addObject();
            o.put("profile", r.profile());
            o.put("mode", r.full() ? "full" : "delta");
            o.put("method", r.method());
            o.put("entries", r.entries());
            o.put("added", r.added());
            o.put("modified", r.modified());
            o.put("moved", r.moved());
            o.put("deleted", r.deleted());
            o.put("deletions", r.deletions());
            o.put("heldDeletes", r.heldDeletes());
            o.put("skipped", r.skipped());
            o.put("millis", r.millis());
            ArrayNode chunks = o.putArray("chunks");
            for (UploadReceipt u : r.receipts()) {
                chunks.addObject().put("getUrl", u.getUrl()).put("sha256", u.sha256()).put("size", u.size());
            }
        }
        return CommandResult.ok(Json.text(out));
    }
}
