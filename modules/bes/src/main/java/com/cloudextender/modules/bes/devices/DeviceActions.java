package com.cloudextender.modules.bes.devices;

import com.cloudextender.modules.bes.client.BesException;
import com.cloudextender.modules.bes.client.BwsClient;
import com.cloudextender.modules.bes.client.ReturnCodes;
import com.cloudextender.modules.bes.wire.Entity;
import com.cloudextender.modules.bes.wire.Messages;
import com.cloudextender.modules.bes.wire.ReturnStatus;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The changes the cloud can ask of BES. Each one decodes the server's per-item return status (only
 * {@code SUCCESS} is success) and then reads the user or device again and returns that state; where the
 * read-back can show the change (IT policy, removal) and does not, the action fails with
 * {@code NOT_APPLIED}.
 */
public final class DeviceActions {
    private final BwsClient client;
    private final UserDirectory directory;
    private final DeviceJson json;

    public DeviceActions(BwsClient client, UserDirectory directory) {
        this.client = client;
        this.directory = directory;
        this.json = new DeviceJson(java.util.EnumSet.allOf(AttributeSet.class));
    }

    /** getSystemInfo's properties, with the BWS and BAS versions picked out. */
    public ObjectNode version() throws BesException {
        Messages.GetSystemInfoRequest r = new Messages.GetSystemInfoRequest();
        r.metadata = client.metadata();
        r.loadAuthenticatedUserProperties = Boolean.TRUE;
        Messages.GetSystemInfoResponse a = client.callOk("getSystemInfo", null, b -> b.getSystemInfo(r));
        ObjectNode o = Json.object();
        ObjectNode props = Json.object();
        for (Messages.Property p : a.properties) {
            if (p.name != null) {
                props.put(p.name, p.value);
            }
        }
        if (props.has("BWS Version")) {
            o.put("bwsVersion", props.get("BWS Version").asText());
        }
        if (props.has("BAS Version")) {
            o.put("basVersion", props.get("BAS Version").asText());
        }
        if (!o.has("bwsVersion") && !o.has("basVersion")) {
            throw new BesException("FAILED", "getSystemInfo returned no 'BWS Version' or 'BAS Version' property");
        }
        o.set("properties", props);
        return o;
    }

    /** The device as BES reports it now. */
    public ObjectNode refresh(String email, String pin) throws BesException {
        ObjectNode o = Json.object();
        o.set("device", json.toJson(directory.device(email, pin)));
        return o;
    }

    /** Creates one user per address (bulk registration); per address the outcome, read back. */
    public ObjectNode register(List<String> emails) throws BesException {
        Messages.CreateUsersRequest r = new Messages.CreateUsersRequest();
        r.metadata = client.metadata();
        for (String e : emails) {
            Messages.NewUser u = new Messages.NewUser();
            u.accountAttributes = new Messages.AccountAttributes();
            u.accountAttributes.emailAddress = e;
            r.newUsers.add(u);
        }
        Messages.IndividualResponses a = client.call("createUsers", b -> b.createUsers(r));
        if (a.individualResponses.size() != emails.size()) {
            ReturnCodes.require("createUsers", a.returnStatus, emails.size() + " users");
            throw new BesException("FAILED", "createUsers answered " + a.individualResponses.size()
                    + " individual responses for " + emails.size() + " users");
        }
        ObjectNode o = Json.object();
        ArrayNode results = o.putArray("results");
        int created = 0;
        for (int i = 0; i < emails.size(); i++) {
            Messages.Individual in = a.individualResponses.get(i);
            ObjectNode item = results.addObject();
            item.put("email", emails.get(i));
            if (in.returnStatus != null && in.returnStatus.success()) {
                Entity user = directory.userByEmail(emails.get(i)); // read back: the user exists now
                item.put("created", true);
                item.put("uid", user.text("uid").orElse(in.uid));
                created++;
            } else {
                item.put("created", false);
                item.set("error", error(in.returnStatus, "createUsers", emails.get(i)));
            }
        }
        o.put("created", created);
        o.put("failed", emails.size() - created);
        if (created == 0) {
            throw new BesException(ReturnCodes.reasonOf(a.individualResponses.get(0).returnStatus == null ? null
                    : a.individualResponses.get(0).returnStatus.code), "createUsers created none of the "
                    + emails.size() + " users: " + Json.text(results));
        }
        return o;
    }

    /** Removes the user (and so its devices) from BES; read back: the user is gone. */
    public ObjectNode removeUser(String email) throws BesException {
        Entity user = directory.userByEmail(email);
        Messages.UsersRequest r = new Messages.UsersRequest();
        r.metadata = client.metadata();
        r.users.add(user.element());
        single(client.call("deleteUsers", b -> b.deleteUsers(r)), "deleteUsers", "user " + email);
        try {
            directory.userByEmail(email);
        } catch (BesException e) {
            if (e.reason().equals("NOT_FOUND")) {
                ObjectNode o = Json.object();
                o.put("removed", true);
                o.put("email", email);
                o.put("uid", user.text("uid").orElse(""));
                return o;
            }
            throw e;
        }
        throw new BesException("NOT_APPLIED", "deleteUsers reported SUCCESS but the user " + email + " still exists");
    }

    /** The IT policies defined on the BAS. */
    public List<Entity> policies() throws BesException {
        Messages.MetadataOnly r = new Messages.MetadataOnly(client.metadata());
        return client.callOk("getITPolicies", null, b -> b.getITPolicies(r)).itPolicies();
    }

    /** A policy as JSON: its uid, name and description when BES sends them. */
    public static ObjectNode policyJson(Entity p) {
        ObjectNode o = Json.object();
        for (String k : new String[]{"uid", "name", "description"}) {
            p.text(k).ifPresent(v -> o.put(k, v));
        }
        return o;
    }

    /** Assigns IT policy {@code policyName} to the user; read back: the user's direct IT policy. */
    public ObjectNode changePolicy(String email, String policyName) throws BesException {
        Entity policy = policies().stream().filter(p -> p.text("name").map(policyName::equals).orElse(false))
                .findFirst().orElseThrow(() -> new BesException("NOT_FOUND", "the BAS has no IT policy named '"
                        + policyName + "'"));
        Entity user = directory.userByEmail(email);
        Messages.SetUsersITPolicyRequest r = new Messages.SetUsersITPolicyRequest();
        r.metadata = client.metadata();
        r.usersThenPolicy.add(user.element());
        r.usersThenPolicy.add(policy.as("itPolicy"));
        single(client.call("setUsersITPolicy", b -> b.setUsersITPolicy(r)), "setUsersITPolicy", "user " + email);
        Entity detail = directory.detail(user).userDetail();
        Optional<String> now = detail.child("directITPolicy").flatMap(p -> Entity.of(p).child("policy"))
                .flatMap(p -> Entity.textOf(p, "name"));
        if (now.isEmpty() || !now.get().equals(policyName)) {
            throw new BesException("NOT_APPLIED", "setUsersITPolicy reported SUCCESS but the user " + email
                    + "'s IT policy is " + now.map(n -> "'" + n + "'").orElse("none"));
        }
        ObjectNode o = Json.object();
        o.put("applied", true);
        o.put("email", email);
        o.put("itPolicy", now.get());
        return o;
    }

    /** Deletes all data on the device and disables it; the device's state afterwards. */
    public ObjectNode wipe(String email, String pin) throws BesException {
        BesDevice d = directory.device(email, pin);
        Messages.DevicesRequest r = new Messages.DevicesRequest();
        r.metadata = client.metadata();
        r.devices.add(d.element());
        single(client.call("deleteDevicesData", b -> b.deleteDevicesData(r)), "deleteDevicesData", "device " + pin);
        return afterDeviceChange("wipe", email, pin);
    }

    /** Sets a new device password and locks the device; the device's state afterwards. */
    public ObjectNode resetPasscode(String email, String pin, String password) throws BesException {
        BesDevice d = directory.device(email, pin);
        Messages.SetDevicesPasswordRequest r = new Messages.SetDevicesPasswordRequest();
        r.metadata = client.metadata();
        r.devices.add(d.element());
        r.password = password;
        single(client.call("setDevicesPasswordAndLock", b -> b.setDevicesPasswordAndLock(r)),
                "setDevicesPasswordAndLock", "device " + pin);
        return afterDeviceChange("resetPasscode", email, pin);
    }

    /** Sends the IT policy to the device again, so that it reports back; the device's state afterwards. */
    public ObjectNode resendPolicy(String email, String pin) throws BesException {
        BesDevice d = directory.device(email, pin);
        Messages.DevicesRequest r = new Messages.DevicesRequest();
        r.metadata = client.metadata();
        r.devices.add(d.element());
        single(client.call("resendITPolicy", b -> b.resendITPolicy(r)), "resendITPolicy", "device " + pin);
        return afterDeviceChange("resendITPolicy", email, pin);
    }

    /** Sends a message to the users' devices; per user the server's status. */
    public ObjectNode sendMessage(List<String> emails, String subject, String body) throws BesException {
        List<Entity> users = new ArrayList<>();
        for (String e : emails) {
            users.add(directory.userByEmail(e));
        }
        Messages.SendMessageRequest r = new Messages.SendMessageRequest();
        r.metadata = client.metadata();
        users.forEach(u -> r.users.add(u.element()));
        r.subject = subject;
        r.body = body;
        Messages.IndividualResponses a = client.call("sendMessage", b -> b.sendMessage(r));
        return perUser("sendMessage", "sent", emails, a);
    }

    /** Sets the user's activation password (self-service enrolment) for {@code expiryHours}. */
    public ObjectNode activationPassword(String email, String password, int expiryHours) throws BesException {
        Entity user = directory.userByEmail(email);
        Messages.SetUsersActivationPasswordRequest r = new Messages.SetUsersActivationPasswordRequest();
        r.metadata = client.metadata();
        r.users.add(user.element());
        r.activationPassword = password;
        r.expiryHours = expiryHours;
        single(client.call("setUsersActivationPassword", b -> b.setUsersActivationPassword(r)),
                "setUsersActivationPassword", "user " + email);
        Entity detail = directory.detail(user).userDetail();
        ObjectNode o = Json.object();
        o.put("applied", true);
        o.put("email", email);
        o.put("expiryHours", expiryHours);
        detail.text("activationPasswordExpiry").ifPresent(v -> o.put("activationPasswordExpiry", v));
        return o;
    }

    private ObjectNode afterDeviceChange(String action, String email, String pin) throws BesException {
        ObjectNode o = Json.object();
        o.put("action", action);
        o.put("applied", true);
        try {
            o.set("device", json.toJson(directory.device(email, pin)));
        } catch (BesException e) {
            if (!e.reason().equals("NOT_FOUND")) {
                throw e;
            }
            o.putNull("device"); // a wiped device may leave the user's device list
            o.put("deviceGone", true);
        }
        return o;
    }

    private ObjectNode perUser(String operation, String flag, List<String> emails, Messages.IndividualResponses a)
            throws BesException {
        if (a.individualResponses.size() != emails.size()) {
            ReturnCodes.require(operation, a.returnStatus, emails.size() + " users");
            throw new BesException("FAILED", operation + " answered " + a.individualResponses.size()
                    + " individual responses for " + emails.size() + " users");
        }
        ObjectNode o = Json.object();
        ArrayNode results = o.putArray("results");
        int ok = 0;
        for (int i = 0; i < emails.size(); i++) {
            Messages.Individual in = a.individualResponses.get(i);
            ObjectNode item = results.addObject();
            item.put("email", emails.get(i));
            boolean success = in.returnStatus != null && in.returnStatus.success();
            item.put(flag, success);
            if (success) {
                ok++;
            } else {
                item.set("error", error(in.returnStatus, operation, emails.get(i)));
            }
        }
        o.put(flag, ok);
        o.put("failed", emails.size() - ok);
        if (ok == 0) {
            throw new BesException("FAILED", operation + " failed for every user: " + Json.text(results));
        }
        return o;
    }

    /** The one item's status of a single-object change, or the overall status when none was given. */
    private static void single(Messages.IndividualResponses a, String operation, String object) throws BesException {
        if (a.individualResponses.size() == 1) {
            ReturnCodes.require(operation, a.individualResponses.get(0).returnStatus, object);
        }
        ReturnCodes.require(operation, a.returnStatus, object);
    }

    private static ObjectNode error(ReturnStatus s, String operation, String object) {
        ObjectNode e = Json.object();
        e.put("reason", s == null ? "FAILED" : ReturnCodes.reasonOf(s.code));
        e.put("code", s == null ? null : s.code);
        e.put("message", ReturnCodes.describe(operation, s, object));
        return e;
    }
}
