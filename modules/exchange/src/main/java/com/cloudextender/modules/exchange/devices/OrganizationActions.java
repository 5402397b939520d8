package com.cloudextender.modules.exchange.devices;

import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The organisation's ActiveSync settings: mailbox policies (list, assign), the default access level,
 * and device access rules. Changes are read back like the device actions'.
 */
public final class OrganizationActions {
    private static final Set<String> LEVELS = Set.of("Allow", "Block", "Quarantine");
    private static final Set<String> CHARACTERISTICS = Set.of("DeviceType", "DeviceModel", "DeviceOS", "UserAgent", "XMSWLHeader");

    private final ExchangeBackend backend;
    private final DeviceFinder finder;

    public OrganizationActions(ExchangeBackend backend) {
        this.backend = backend;
        this.finder = new DeviceFinder(backend);
    }

    /** Every mobile device mailbox policy with its settings, as Exchange reports them. */
    public List<ObjectNode> policies() throws ExchangeException, InterruptedException {
        return backend.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE_MAILBOX_POLICY)).objects();
    }

    /** Assigns policy {@code policy} to {@code mailbox}. */
    public ObjectNode assignPolicy(String mailbox, String policy) throws ExchangeException, InterruptedException {
        finder.mailbox(mailbox);
        try {
            if (backend.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE_MAILBOX_POLICY, "Identity", policy)).objects().isEmpty()) {
                throw new ExchangeException(Reason.NOT_FOUND, "no mobile device mailbox policy is called " + policy);
            }
        } catch (ExchangeException e) {
            if (e.reason() == Reason.NOT_FOUND) {
                throw new ExchangeException(Reason.NOT_FOUND, "no mobile device mailbox policy is called " + policy
                        + "; list them with listPolicies", e);
            }
            throw e;
        }
        backend.invoke(CmdletCall.of(Cmdlet.SET_CAS_MAILBOX, "Identity", mailbox, "ActiveSyncMailboxPolicy", policy));
        ObjectNode cas = finder.mailbox(mailbox);
        String now = Device.text(cas, "ActiveSyncMailboxPolicy");
        if (!now.equalsIgnoreCase(policy)) {
            throw new ExchangeException(Reason.NOT_APPLIED, "Set-CASMailbox was accepted but mailbox " + mailbox
                    + " still has policy '" + now + "'");
        }
        ObjectNode o = Json.object();
        o.put("action", "assignPolicy");
        o.put("applied", true);
        o.put("mailbox", Device.text(cas, "Identity"));
        o.put("activeSyncMailboxPolicy", now);
        return o;
    }

    /** The organisation's default access level: Allow, Block or Quarantine. */
    static String defaultAccessLevel(ExchangeBackend backend) throws ExchangeException, InterruptedException {
        List<ObjectNode> s = backend.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_ORGANIZATION_SETTINGS)).objects();
        if (s.isEmpty() || Device.text(s.get(0), "DefaultAccessLevel").isEmpty()) {
            throw new ExchangeException(Reason.GARBAGE, "Get-ActiveSyncOrganizationSettings returned no DefaultAccessLevel");
        }
        return Device.text(s.get(0), "DefaultAccessLevel");
    }

    /** Reads the default access level, or sets it to {@code level} and reads it back. */
    public ObjectNode defaultAccessLevel(Optional<String> level) throws ExchangeException, InterruptedException {
        ObjectNode o = Json.object();
        if (level.isPresent()) {
            String want = canonical(level.get(), LEVELS, "level");
            backend.invoke(CmdletCall.of(Cmdlet.SET_ACTIVESYNC_ORGANIZATION_SETTINGS, "DefaultAccessLevel", want));
            String now = defaultAccessLevel(backend);
            if (!now.equalsIgnoreCase(want)) {
                throw new ExchangeException(Reason.NOT_APPLIED, "Set-ActiveSyncOrganizationSettings was accepted but "
                        + "the default access level is still " + now);
            }
            o.put("applied", true);
        }
        o.put("defaultAccessLevel", defaultAccessLevel(backend));
        return o;
    }

    /** Every device access rule. */
    public ArrayNode rules() throws ExchangeException, InterruptedException {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (ObjectNode r : backend.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_DEVICE_ACCESS_RULE)).objects()) {
            a.add(rule(r));
        }
        return a;
    }

    /**
     * Adds the rule {@code characteristic = queryString → accessLevel}. A rule for the same
     * characteristic and query already there with the same level is the result (a retry); with another
     * level it is an error, since Exchange keeps one rule per query.
     */
    public ObjectNode addRule(String characteristic, String queryString, String accessLevel)
            throws ExchangeException, InterruptedException {
        String ch = canonical(characteristic, CHARACTERISTICS, "characteristic");
        String level = canonical(accessLevel, LEVELS, "accessLevel");
        if (queryString.isBlank() || queryString.length() > 256) {
            throw new ExchangeException(Reason.INVALID_PARAMETER, "queryString: 1 to 256 characters");
        }
        Optional<ObjectNode> existing = findRule(ch, queryString);
        if (existing.isEmpty()) {
            backend.invoke(CmdletCall.of(Cmdlet.NEW_ACTIVESYNC_DEVICE_ACCESS_RULE, "Characteristic", ch,
                    "QueryString", queryString, "AccessLevel", level));
            existing = findRule(ch, queryString);
            if (existing.isEmpty()) {
                throw new ExchangeException(Reason.NOT_APPLIED, "New-ActiveSyncDeviceAccessRule was accepted but no rule for "
                        + ch + " '" + queryString + "' exists");
            }
        }
        String have = Device.text(existing.get(), "AccessLevel");
        if (!have.equalsIgnoreCase(level)) {
            throw new ExchangeException(Reason.INVALID_PARAMETER, "a rule for " + ch + " '" + queryString
                    + "' already exists with access level " + have + "; remove it first");
        }
        ObjectNode o = Json.object();
        o.put("applied", true);
        o.set("rule", rule(existing.get()));
        return o;
    }

    /** Removes the rule called {@code name}. */
    public ObjectNode removeRule(String name) throws ExchangeException, InterruptedException {
        boolean exists = backend.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_DEVICE_ACCESS_RULE)).objects().stream()
                .anyMatch(r -> Device.text(r, "Name").equalsIgnoreCase(name) || Device.text(r, "Identity").equalsIgnoreCase(name));
        if (!exists) {
            throw new ExchangeException(Reason.NOT_FOUND, "no device access rule is called " + name
                    + "; list them with accessRules");
        }
        backend.invoke(CmdletCall.of(Cmdlet.REMOVE_ACTIVESYNC_DEVICE_ACCESS_RULE, "Identity", name, "Confirm", false));
        boolean still = backend.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_DEVICE_ACCESS_RULE)).objects().stream()
                .anyMatch(r -> Device.text(r, "Name").equalsIgnoreCase(name) || Device.text(r, "Identity").equalsIgnoreCase(name));
        if (still) {
            throw new ExchangeException(Reason.NOT_APPLIED, "Remove-ActiveSyncDeviceAccessRule was accepted but rule "
                    + name + " is still there");
        }
        ObjectNode o = Json.object();
        o.put("applied", true);
        o.put("removed", name);
        return o;
    }

    private Optional<ObjectNode> findRule(String characteristic, String queryString)
            throws ExchangeException, InterruptedException {
        return backend.invoke(CmdletCall.of(Cmdlet.GET_ACTIVESYNC_DEVICE_ACCESS_RULE)).objects().stream()
                .filter(r -> Device.text(r, "Characteristic").equalsIgnoreCase(characteristic)
                        && Device.text(r, "QueryString").equals(queryString))
                .findFirst();
    }

    private static ObjectNode rule(ObjectNode r) {
        ObjectNode o = Json.object();
        o.put("name", Device.text(r, "Name").isEmpty() ? Device.text(r, "Identity") : Device.text(r, "Name"));
        o.put("characteristic", Device.text(r, "Characteristic"));
        o.put("queryString", Device.text(r, "QueryString"));
        o.put("accessLevel", Device.text(r, "AccessLevel"));
        return o;
    }

    private static String canonical(String value, Set<String> allowed, String field) throws ExchangeException {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new ExchangeException(Reason.INVALID_PARAMETER, field + ": '" + value + "' is not one of "
                + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
}
