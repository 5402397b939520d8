package com.cloudextender.modules.exchange.devices;

import com.cloudextender.modules.exchange.cmdlet.AddRemove;
import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The changes to one device: allow, block, quarantine, wipe, remove, and its statistics. Each change is
 * made, then read back from the server; the result is the server's state after the change, and a
 * change the read-back does not show is a {@link Reason#NOT_APPLIED} failure, never a success.
 */
public final class DeviceActions {
    private final ExchangeBackend backend;
    private final DeviceFinder finder;
    private final DeviceJson json = new DeviceJson();

    public DeviceActions(ExchangeBackend backend) {
        this.backend = backend;
        this.finder = new DeviceFinder(backend);
    }

    /** Adds the device to its mailbox's allowed list (and takes it off the blocked list). */
    public ObjectNode allow(String deviceId, Optional<String> mailbox) throws ExchangeException, InterruptedException {
        return setLists("allow", deviceId, mailbox, true);
    }

    /** Adds the device to its mailbox's blocked list (and takes it off the allowed list). */
    public ObjectNode block(String deviceId, Optional<String> mailbox) throws ExchangeException, InterruptedException {
        return setLists("block", deviceId, mailbox, false);
    }

    /**
     * Releases the device from quarantine (allows it), or sends it there: off both lists, so that the
     * organisation's default access level, which must be Quarantine, decides.
     */
    public ObjectNode quarantine(String operation, String deviceId, Optional<String> mailbox)
            throws ExchangeException, InterruptedException {
        switch (operation) {
            case "release" -> {
                ObjectNode o = setLists("quarantine release", deviceId, mailbox, true);
                o.put("operation", "release");
                return o;
            }
            case "send" -> {
                String level = OrganizationActions.defaultAccessLevel(backend);
                if (!level.equalsIgnoreCase("Quarantine")) {
                    throw new ExchangeException(Reason.UNSUPPORTED, "cannot send device " + deviceId + " to quarantine: "
                            + "the organisation's default access level is " + level + ", so taking the device off its "
                            + "mailbox's lists would not quarantine it; set defaultAccessLevel to Quarantine first");
                }
                Device d = finder.find(deviceId, mailbox);
                String box = mailboxIdentity(d);
                backend.invoke(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", box,
                        "ActiveSyncAllowedDeviceIDs", AddRemove.remove(deviceId),
                        "ActiveSyncBlockedDeviceIDs", AddRemove.remove(deviceId)));
                ObjectNode cas = finder.mailbox(box);
                if (contains(cas, "ActiveSyncAllowedDeviceIDs", deviceId) || contains(cas, "ActiveSyncBlockedDeviceIDs", deviceId)) {
                    throw new ExchangeException(Reason.NOT_APPLIED, "Set-CASMailbox succeeded but mailbox " + box
                            + " still lists device " + deviceId + "; it was not sent to quarantine");
                }
                ObjectNode o = result("quarantine send", reread(d), cas);
                o.put("operation", "send");
                return o;
            }
            default -> throw new ExchangeException(Reason.INVALID_PARAMETER, "operation: '" + operation
                    + "' is not release or send");
        }
    }

    /** Sends a wipe (or an account-only wipe), or cancels a pending one. */
    public ObjectNode wipe(String deviceId, Optional<String> mailbox, boolean accountOnly, boolean cancel)
            throws ExchangeException, InterruptedException {
        if (accountOnly && cancel) {
            throw new ExchangeException(Reason.INVALID_PARAMETER, "accountOnly and cancel: choose one");
        }
        if (accountOnly && backend.version().isExchange2010()) {
            throw new ExchangeException(Reason.UNSUPPORTED, "an account-only wipe needs Exchange 2013 or later; this "
                    + "server is " + backend.version().product() + ": send a full wipe or none");
        }
        Device d = finder.find(deviceId, mailbox);
        List<Object> params = new ArrayList<>(List.of("Identity", d.identity(), "Confirm", false));
        if (accountOnly) {
            params.addAll(List.of("AccountOnly", true));
        }
        if (cancel) {
            params.addAll(List.of("Cancel", true));
        }
        List<String> warnings = backend.invoke(CmdletCall.of(Cmdlet.CLEAR_MOBILE_DEVICE, params.toArray())).warnings();
        ObjectNode stats = finder.statistics(d.identity()).orElseThrow(() -> new ExchangeException(Reason.NOT_APPLIED,
                "the wipe was sent but device " + deviceId + " has no statistics to confirm it"));
        boolean pending = wipePending(stats);
        if (cancel == pending) {
            throw new ExchangeException(Reason.NOT_APPLIED, (cancel ? "the wipe cancel" : "the wipe")
                    + " of device " + deviceId + " was accepted but the server shows "
                    + (pending ? "a wipe still pending" : "no pending wipe") + " (status "
                    + Device.text(stats, "Status") + ")");
        }
        ObjectNode o = result(cancel ? "wipe cancel" : accountOnly ? "account-only wipe" : "wipe",
                new Device(d.device(), d.mailbox(), Optional.of(stats)), null);
        o.put("wipePending", pending);
        warnings.forEach(o.withArray("warnings")::add);
        return o;
    }

    /** Removes the partnership; the device must sync again to come back. */
    public ObjectNode remove(String deviceId, Optional<String> mailbox) throws ExchangeException, InterruptedException {
        Device d = finder.find(deviceId, mailbox);
        backend.invoke(CmdletCall.of(Cmdlet.REMOVE_MOBILE_DEVICE, "Identity", d.identity(), "Confirm", false));
        String box = mailboxIdentity(d);
        boolean still = backend.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE, "Mailbox", box)).objects().stream()
                .anyMatch(x -> Device.text(x, "Identity").equals(d.identity()));
        if (still) {
            throw new ExchangeException(Reason.NOT_APPLIED, "Remove-MobileDevice succeeded but the partnership of "
                    + deviceId + " with " + box + " is still there");
        }
        ObjectNode o = Json.object();
        o.put("action", "remove");
        o.put("applied", true);
        o.put("removed", true);
        o.set("device", json.toJson(d));
        return o;
    }

    /** The device's live statistics. */
    public ObjectNode statistics(String deviceId, Optional<String> mailbox) throws ExchangeException, InterruptedException {
        Device d = finder.find(deviceId, mailbox);
        Optional<ObjectNode> stats = finder.statistics(d.identity());
        ObjectNode o = Json.object();
        o.set("device", json.toJson(new Device(d.device(), d.mailbox(), stats)));
        stats.ifPresent(s -> o.set("statistics", s));
        return o;
    }

    private ObjectNode setLists(String action, String deviceId, Optional<String> mailbox, boolean allow)
            throws ExchangeException, InterruptedException {
        Device d = finder.find(deviceId, mailbox);
        String box = mailboxIdentity(d);
        String to = allow ? "ActiveSyncAllowedDeviceIDs" : "ActiveSyncBlockedDeviceIDs";
        String from = allow ? "ActiveSyncBlockedDeviceIDs" : "ActiveSyncAllowedDeviceIDs";
        List<String> warnings = backend.invoke(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", box,
                to, AddRemove.add(deviceId), from, AddRemove.remove(deviceId))).warnings();
        ObjectNode cas = finder.mailbox(box);
        if (!contains(cas, to, deviceId) || contains(cas, from, deviceId)) {
            throw new ExchangeException(Reason.NOT_APPLIED, "Set-CASMailbox was accepted but mailbox " + box
                    + (contains(cas, to, deviceId) ? " still has device " + deviceId + " in " + from
                    : " does not have device " + deviceId + " in " + to) + "; the " + action + " did not happen");
        }
        ObjectNode o = result(action, reread(d), cas);
        warnings.forEach(o.withArray("warnings")::add);
        return o;
    }

    private Device reread(Device d) throws ExchangeException, InterruptedException {
        String box = mailboxIdentity(d);
        return backend.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE, "Mailbox", box)).objects().stream()
                .filter(x -> Device.text(x, "Identity").equals(d.identity())).findFirst()
                .map(x -> new Device(x, d.mailbox(), Optional.empty()))
                .orElseThrow(() -> new ExchangeException(Reason.UNKNOWN_DEVICE, "device " + d.deviceId()
                        + " disappeared from mailbox " + box + " during the change"));
    }

    private ObjectNode result(String action, Device d, ObjectNode cas) {
        ObjectNode o = Json.object();
        o.put("action", action);
        o.put("applied", true);
        o.set("device", json.toJson(d));
        if (cas != null) {
            ObjectNode m = o.putObject("mailbox");
            m.put("identity", Device.text(cas, "Identity"));
            m.set("allowedDeviceIds", list(cas, "ActiveSyncAllowedDeviceIDs"));
            m.set("blockedDeviceIds", list(cas, "ActiveSyncBlockedDeviceIDs"));
        }
        return o;
    }

    private static String mailboxIdentity(Device d) throws ExchangeException {
        String box = d.mailbox().map(m -> Device.text(m, "Identity")).filter(s -> !s.isEmpty())
                .orElse(d.mailboxIdentity());
        if (box.isEmpty()) {
            throw new ExchangeException(Reason.GARBAGE, "device " + d.deviceId() + " has no mailbox in its identity '"
                    + d.identity() + "'");
        }
        return box;
    }

    static boolean wipePending(ObjectNode stats) {
        String status = Device.text(stats, "Status").toLowerCase(Locale.ROOT);
        return status.contains("wipepending") || status.contains("wiperequested");
    }

    static boolean contains(ObjectNode cas, String field, String deviceId) {
        for (JsonNode v : list(cas, field)) {
            if (v.asText().equalsIgnoreCase(deviceId)) {
                return true;
            }
        }
        return false;
    }

    private static ArrayNode list(ObjectNode cas, String field) {
        JsonNode n = cas.get(field);
        ArrayNode a = Json.MAPPER.createArrayNode();
        if (n != null && n.isArray()) {
            n.forEach(a::add);
        } else if (n != null && n.isTextual() && !n.asText().isEmpty()) {
            a.add(n.asText());
        }
        return a;
    }
}
