package com.cloudextender.modules.traveler.devices;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.traveler.api.TravelerClient;
import com.cloudextender.modules.traveler.api.TravelerException;
import com.cloudextender.modules.traveler.api.TravelerException.Reason;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The device actions of the Device Security view (approve, deny access, wipe, clear wipe / allow access,
 * remove) and the device state on demand. Every change is read back: the result is the device as the
 * server reports it afterwards, and a change the re-read does not show fails with
 * {@link Reason#NOT_APPLIED}, so a change is never reported that the server did not make.
 */
public final class DeviceActions {
    private final TravelerClient client;
    private final Duration settle;

    /**
     * @param settle how long to wait before reading a device a second time when the first re-read does
     *               not show the change yet
     */
    public DeviceActions(TravelerClient client, Duration settle) {
        this.client = client;
        this.settle = settle;
    }

    /** The device's state now. */
    public ObjectNode state(String deviceId, Optional<String> user) throws TravelerException, InterruptedException {
        ObjectNode o = Json.object();
        o.set("device", DeviceFormat.toJson(find(deviceId, user)));
        return o;
    }

    /** Approves the device's access request. */
    public ObjectNode approve(String deviceId, Optional<String> user) throws TravelerException, InterruptedException {
        Device d = find(deviceId, user);
        security(d, "approve", List.of());
        return result("approve", readBack(d, x -> x.approval().equalsIgnoreCase("Approved"),
                "the approval state is not Approved"));
    }

    /** Denies the device access (it may no longer connect). */
    public ObjectNode deny(String deviceId, Optional<String> user) throws TravelerException, InterruptedException {
        Device d = find(deviceId, user);
        security(d, "deny", List.of());
        return result("deny", readBack(d, x -> x.access().equalsIgnoreCase("Deny"), "the access is not Deny"));
    }

    /**
     * Wipes the device with {@code options} (module names), which must be ones the device reports it
     * supports.
     */
    public ObjectNode wipe(String deviceId, Optional<String> user, List<String> options)
            throws TravelerException, InterruptedException {
        if (options.isEmpty()) {
            throw new TravelerException(Reason.INVALID_PARAMETER, "options: give at least one of " + WipeOption.arguments());
        }
        Set<WipeOption> wanted = new LinkedHashSet<>();
        for (String o : options) {
            wanted.add(WipeOption.ofArgument(o).orElseThrow(() -> new TravelerException(Reason.INVALID_PARAMETER,
                    "options: '" + o + "' is not a wipe option; use " + WipeOption.arguments())));
        }
        Device d = find(deviceId, user);
        Set<WipeOption> supported = d.wipeSupported().stream().map(WipeOption::ofWire).flatMap(Optional::stream)
                .collect(Collectors.toSet());
        List<String> refused = wanted.stream().filter(o -> !supported.contains(o)).map(WipeOption::argument).toList();
        if (!refused.isEmpty()) {
            throw new TravelerException(Reason.UNSUPPORTED, "device " + d.deviceId() + " of " + d.user() + " does not "
                    + "support the wipe option(s) " + String.join(", ", refused) + "; it supports "
                    + (supported.isEmpty() ? "none" : supported.stream().map(WipeOption::argument)
                    .collect(Collectors.joining(", "))));
        }
        List<String> wire = wanted.stream().map(WipeOption::wire).toList();
        security(d, "wipe", wire);
        Device after = readBack(d, x -> !x.wipeStatus().isEmpty() && !x.wipeStatus().equalsIgnoreCase("None")
                && lower(x.wipeOptions()).containsAll(lower(wire)), "no wipe with options " + wire + " is recorded");
        return result("wipe", after);
    }

    /** Clears a wipe or deny request: the device may connect again. */
    public ObjectNode clear(String deviceId, Optional<String> user) throws TravelerException, InterruptedException {
        Device d = find(deviceId, user);
        security(d, "clear", List.of());
        return result("clearWipe", readBack(d, x -> x.access().equalsIgnoreCase("Allow")
                && (x.wipeStatus().isEmpty() || x.wipeStatus().equalsIgnoreCase("None")),
                "the access is not Allow or a wipe is still recorded"));
    }

    /** Removes the device registration from the server. */
    public ObjectNode remove(String deviceId, Optional<String> user) throws TravelerException, InterruptedException {
        Device d = find(deviceId, user);
        try {
            client.delete("devices", Map.of("username", d.user(), "deviceid", d.deviceId()));
        } catch (TravelerException e) {
            throw e.httpStatus() == 404 ? gone(d) : e;
        }
        Optional<Device> after = reread(d);
        if (after.isPresent() && !after.get().state().equalsIgnoreCase("Deleted")) {
            Thread.sleep(settle.toMillis());
            after = reread(d);
        }
        if (after.isPresent() && !after.get().state().equalsIgnoreCase("Deleted")) {
            throw new TravelerException(Reason.NOT_APPLIED, "the server accepted the removal of device " + d.deviceId()
                    + " of " + d.user() + " but still lists it in state '" + after.get().state() + "'");
        }
        ObjectNode o = Json.object();
        o.put("action", "remove");
        o.put("applied", true);
        o.put("removed", true);
        after.ifPresent(x -> o.set("device", DeviceFormat.toJson(x)));
        return o;
    }

    /**
     * The one registration of {@code deviceId} (of {@code user} when given).
     *
     * @throws TravelerException UNKNOWN_DEVICE, UNKNOWN_USER or AMBIGUOUS_DEVICE naming what was asked
     */
    public Device find(String deviceId, Optional<String> user) throws TravelerException, InterruptedException {
        check("deviceId", deviceId);
        if (user.isPresent()) {
            check("user", user.get());
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("deviceid", deviceId);
        user.ifPresent(u -> q.put("username", u));
        List<Device> found = new ArrayList<>();
        for (Device d : list(q)) {
            if (d.deviceId().equals(deviceId) && (user.isEmpty() || d.isOf(user.get()))) {
                found.add(d);
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.size() > 1) {
            throw new TravelerException(Reason.AMBIGUOUS_DEVICE, "device id " + deviceId + " is registered for "
                    + found.stream().map(Device::user).collect(Collectors.joining("; ")) + "; name the user too");
        }
        if (user.isPresent() && list(Map.of("username", user.get())).stream().noneMatch(d -> d.isOf(user.get()))) {
            throw new TravelerException(Reason.UNKNOWN_USER, "no Traveler user '" + user.get() + "' has a device on "
                    + client.server());
        }
        throw new TravelerException(Reason.UNKNOWN_DEVICE, "no device with id " + deviceId
                + user.map(u -> " of user '" + u + "'").orElse("") + " is registered on " + client.server());
    }

    private List<Device> list(Map<String, String> query) throws TravelerException, InterruptedException {
        try {
            return client.get("devices", query, DeviceParser::all);
        } catch (TravelerException e) {
            if (e.httpStatus() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    private void security(Device d, String action, List<String> wipeOptions) throws TravelerException, InterruptedException {
        ObjectNode body = Json.object();
        body.put("userName", d.user());
        body.put("deviceId", d.deviceId());
        body.put("action", action);
        if (!wipeOptions.isEmpty()) {
            ArrayNode a = body.putArray("wipeOptions");
            wipeOptions.forEach(a::add);
        }
        try {
            client.post("security", body);
        } catch (TravelerException e) {
            throw e.httpStatus() == 404 ? gone(d) : e;
        }
    }

    private Device readBack(Device d, Predicate<Device> applied, String otherwise)
            throws TravelerException, InterruptedException {
        Optional<Device> after = reread(d);
        if (after.isPresent() && !applied.test(after.get())) {
            Thread.sleep(settle.toMillis()); // the server may record the change a moment later
            after = reread(d);
        }
        if (after.isEmpty()) {
            throw gone(d);
        }
        if (!applied.test(after.get())) {
            throw new TravelerException(Reason.NOT_APPLIED, "the server accepted the request for device " + d.deviceId()
                    + " of " + d.user() + " but reading it again shows it was not applied: " + otherwise
                    + " (access " + after.get().access() + ", approval " + after.get().approval() + ", wipe "
                    + after.get().wipeStatus() + ")");
        }
        return after.get();
    }

    private Optional<Device> reread(Device d) throws TravelerException, InterruptedException {
        return list(Map.of("deviceid", d.deviceId(), "username", d.user())).stream()
                .filter(x -> x.deviceId().equals(d.deviceId()) && x.isOf(d.user())).findFirst();
    }

    private static TravelerException gone(Device d) {
        return new TravelerException(Reason.UNKNOWN_DEVICE, "device " + d.deviceId() + " of " + d.user()
                + " is no longer registered on the server");
    }

    private static ObjectNode result(String action, Device after) {
        ObjectNode o = Json.object();
        o.put("action", action);
        o.put("applied", true);
        o.set("device", DeviceFormat.toJson(after));
        return o;
    }

    private static Set<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static void check(String field, String value) throws TravelerException {
        if (value.isEmpty() || value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
            throw new TravelerException(Reason.INVALID_PARAMETER, field + ": must be 1 to 256 characters without "
                    + "control characters");
        }
    }
}
