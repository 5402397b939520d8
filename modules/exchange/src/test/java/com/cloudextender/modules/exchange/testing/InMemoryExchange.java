package com.cloudextender.modules.exchange.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Exchange organisation in memory for tests: mailboxes with their allowed and blocked device lists
 * and policy, ActiveSync partnerships with access states and wipes, mailbox policies, the default access
 * level and device access rules. Answers the module's allow-listed cmdlets (under both namings) with
 * objects shaped like Exchange's, and errors with Exchange's wording and exception types. Parameters
 * come normalised: texts, booleans, numbers, arrays, and {@code {"add":[…],"remove":[…]}}. Thread-safe.
 */
public final class InMemoryExchange {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVICE_FILTER = Pattern.compile("DeviceId -eq '([^']*)'");

    /** A cmdlet's outcome. */
    public record Result(List<ObjectNode> objects, List<String> warnings, Error error) {
    }

    /** A PowerShell error: its category, message and exception type. */
    public record Error(String category, String message, String type) {
    }

    public final Map<String, ObjectNode> mailboxes = new LinkedHashMap<>();
    public final Map<String, ObjectNode> devices = new LinkedHashMap<>(); // by Identity
    public final List<ObjectNode> policies = new ArrayList<>();
    public final List<ObjectNode> rules = new ArrayList<>();
    public final List<String> journal = new CopyOnWriteArrayList<>();
    public volatile String defaultAccessLevel = "Allow";
    /** When set, changes are accepted and silently not made (a server that lies). */
    public volatile boolean ignoreChanges;
    /** Warnings added to every answer. */
    public final List<String> warnings = new CopyOnWriteArrayList<>();
    private int guids;

    public InMemoryExchange() {
        ObjectNode p = JSON.createObjectNode();
        p.put("Name", "Default");
        p.put("Identity", "Default");
        p.put("IsDefault", true);
        p.put("PasswordEnabled", false);
        p.put("DevicePolicyRefreshInterval", "Unlimited");
        policies.add(p);
        ObjectNode strict = JSON.createObjectNode();
        strict.put("Name", "Strict");
        strict.put("Identity", "Strict");
        strict.put("IsDefault", false);
        strict.put("PasswordEnabled", true);
        strict.put("MinPasswordLength", 8);
        policies.add(strict);
    }

    /** Adds mailbox {@code name} ({@code name@contoso.example}). */
    public synchronized ObjectNode mailbox(String name) {
        ObjectNode m = JSON.createObjectNode();
        m.put("Identity", name);
        m.put("Name", name);
        m.put("UserPrincipalName", name + "@contoso.example");
        m.put("PrimarySmtpAddress", name + "@contoso.example");
        m.put("DisplayName", Character.toUpperCase(name.charAt(0)) + name.substring(1));
        m.put("ActiveSyncMailboxPolicy", "Default");
        m.put("ActiveSyncEnabled", true);
        m.putArray("ActiveSyncAllowedDeviceIDs");
        m.putArray("ActiveSyncBlockedDeviceIDs");
        mailboxes.put(name, m);
        return m;
    }

    /** Adds a partnership of device {@code deviceId} with mailbox {@code mailbox}. */
    public synchronized ObjectNode device(String mailbox, String deviceId, String type) {
        if (!mailboxes.containsKey(mailbox)) {
            mailbox(mailbox);
        }
        ObjectNode d = JSON.createObjectNode();
        String identity = mailbox + "\\ExchangeActiveSyncDevices\\" + type + "§" + deviceId;
        d.put("Identity", identity);
        d.put("Guid", String.format("00000000-0000-4000-8000-%012d", ++guids));
        d.put("DeviceId", deviceId);
        d.put("DeviceType", type);
        d.put("DeviceModel", type + " 15");
        d.put("DeviceOS", "iOS 17.1");
        d.put("DeviceUserAgent", "Apple-" + type + "/2101.1");
        d.put("DeviceImei", "35" + String.format("%013d", guids));
        d.put("FriendlyName", mailbox + "'s " + type);
        d.put("ClientType", "EAS");
        d.put("DeviceAccessState", defaultState());
        d.put("DeviceAccessStateReason", "Global");
        d.putNull("DeviceAccessControlRule");
        d.put("FirstSyncTime", "2026-11-0" + (1 + guids % 9) + "T08:00:00Z");
        d.put("UserDisplayName", mailboxes.get(mailbox).get("DisplayName").asText());
        d.put("Status", "DeviceOk");
        d.putNull("DeviceWipeRequestTime");
        devices.put(identity, d);
        mailboxes.get(mailbox).put("HasActiveSyncDevicePartnership", true);
        return d;
    }

    private String defaultState() {
        return switch (defaultAccessLevel) {
            case "Block" -> "Blocked";
            case "Quarantine" -> "Quarantined";
            default -> "Allowed";
        };
    }

    /** Runs {@code cmdlet} with normalised {@code params}. */
    public synchronized Result run(String cmdlet, ObjectNode params) {
        journal.add(cmdlet + " " + params);
        List<ObjectNode> out = new ArrayList<>();
        try {
            switch (cmdlet) {
                case "Get-MobileDevice", "Get-ActiveSyncDevice" -> {
                    String box = text(params, "Mailbox");
                    if (box != null) {
                        requireMailbox(box);
                    }
                    String filter = text(params, "Filter");
                    Matcher f = filter == null ? null : DEVICE_FILTER.matcher(filter);
                    if (f != null && !f.matches()) {
                        return error("InvalidArgument", "Cannot bind parameter 'Filter': the filter '" + filter
                                + "' is not valid.", "System.Management.Automation.ParameterBindingException");
                    }
                    for (ObjectNode d : devices.values()) {
                        if (box != null && !mailboxOf(d).equals(resolve(box))) {
                            continue;
                        }
                        if (f != null && !d.get("DeviceId").asText().equalsIgnoreCase(f.group(1))) {
                            continue;
                        }
                        out.add(strip(d));
                    }
                    limit(out, params);
                }
                case "Get-MobileDeviceStatistics", "Get-ActiveSyncDeviceStatistics" -> {
                    ObjectNode d = requireDevice(text(params, "Identity"));
                    ObjectNode s = JSON.createObjectNode();
                    s.put("Identity", d.get("Identity").asText());
                    s.put("DeviceId", d.get("DeviceId").asText());
                    s.put("LastSuccessSync", "2026-12-01T07:00:00Z");
                    s.put("LastSyncAttemptTime", "2026-12-01T07:00:00Z");
                    s.put("DevicePolicyApplied", mailboxes.get(mailboxOf(d)).get("ActiveSyncMailboxPolicy").asText());
                    s.put("DevicePolicyApplicationStatus", "AppliedInFull");
                    s.set("DeviceWipeRequestTime", d.get("DeviceWipeRequestTime"));
                    s.putNull("DeviceWipeSentTime");
                    s.putNull("DeviceWipeAckTime");
                    s.put("Status", d.get("Status").asText());
                    out.add(s);
                }
                case "Clear-MobileDevice", "Clear-ActiveSyncDevice" -> {
                    ObjectNode d = requireDevice(text(params, "Identity"));
                    if (cmdlet.equals("Clear-ActiveSyncDevice") && params.has("AccountOnly")) {
                        return error("InvalidArgument", "A parameter cannot be found that matches parameter name 'AccountOnly'.",
                                "System.Management.Automation.ParameterBindingException");
                    }
                    if (!ignoreChanges) {
                        if (params.path("Cancel").asBoolean(false)) {
                            d.put("Status", "DeviceOk");
                            d.putNull("DeviceWipeRequestTime");
                        } else {
                            d.put("Status", params.path("AccountOnly").asBoolean(false) ? "AccountOnlyDeviceWipePending"
                                    : "DeviceWipePending");
                            d.put("DeviceWipeRequestTime", "2026-12-05T09:00:00Z");
                        }
                    }
                }
                case "Remove-MobileDevice", "Remove-ActiveSyncDevice" -> {
                    ObjectNode d = requireDevice(text(params, "Identity"));
                    if (!ignoreChanges) {
                        devices.remove(d.get("Identity").asText());
                    }
                }
                case "Get-CASMailbox" -> {
                    String id = text(params, "Identity");
                    if (id != null) {
                        out.add(requireMailbox(id).deepCopy());
                    } else {
                        for (ObjectNode m : mailboxes.values()) {
                            if (text(params, "Filter") == null || m.path("HasActiveSyncDevicePartnership").asBoolean()) {
                                out.add(m.deepCopy());
                            }
                        }
                        limit(out, params);
                    }
                }
                case "Set-CASMailbox" -> {
                    ObjectNode m = requireMailbox(text(params, "Identity"));
                    if (params.has("ActiveSyncMailboxPolicy")) {
                        String p = text(params, "ActiveSyncMailboxPolicy");
                        if (policies.stream().noneMatch(x -> x.get("Name").asText().equalsIgnoreCase(p))) {
                            return notFound(p);
                        }
                        if (!ignoreChanges) {
                            m.put("ActiveSyncMailboxPolicy", p);
                        }
                    }
                    if (!ignoreChanges) {
                        change(m, "ActiveSyncAllowedDeviceIDs", params.get("ActiveSyncAllowedDeviceIDs"));
                        change(m, "ActiveSyncBlockedDeviceIDs", params.get("ActiveSyncBlockedDeviceIDs"));
                        recomputeAccess(m);
                    }
                }
                case "Get-MobileDeviceMailboxPolicy", "Get-ActiveSyncMailboxPolicy" -> {
                    String id = text(params, "Identity");
                    for (ObjectNode p : policies) {
                        if (id == null || p.get("Name").asText().equalsIgnoreCase(id)) {
                            out.add(p.deepCopy());
                        }
                    }
                    if (id != null && out.isEmpty()) {
                        return notFound(id);
                    }
                }
                case "Get-ActiveSyncOrganizationSettings" -> {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("Identity", "Mobile Mailbox Settings");
                    o.put("DefaultAccessLevel", defaultAccessLevel);
                    o.put("UserMailInsert", "");
                    out.add(o);
                }
                case "Set-ActiveSyncOrganizationSettings" -> {
                    String level = text(params, "DefaultAccessLevel");
                    if (!List.of("Allow", "Block", "Quarantine").contains(level)) {
                        return error("InvalidArgument", "Cannot process argument transformation on parameter "
                                + "'DefaultAccessLevel'.", "System.Management.Automation.ParameterBindingException");
                    }
                    if (!ignoreChanges) {
                        defaultAccessLevel = level;
                    }
                }
                case "Get-ActiveSyncDeviceAccessRule" -> rules.forEach(r -> out.add(r.deepCopy()));
                case "New-ActiveSyncDeviceAccessRule" -> {
                    ObjectNode r = JSON.createObjectNode();
                    String name = text(params, "QueryString") + " (" + text(params, "Characteristic") + ")";
                    r.put("Name", name);
                    r.put("Identity", name);
                    r.put("Characteristic", text(params, "Characteristic"));
                    r.put("QueryString", text(params, "QueryString"));
                    r.put("AccessLevel", text(params, "AccessLevel"));
                    if (!ignoreChanges) {
                        rules.add(r);
                    }
                    out.add(r.deepCopy());
                }
                case "Remove-ActiveSyncDeviceAccessRule" -> {
                    String id = text(params, "Identity");
                    boolean found = rules.stream().anyMatch(r -> r.get("Name").asText().equals(id));
                    if (!found) {
                        return notFound(id);
                    }
                    if (!ignoreChanges) {
                        rules.removeIf(r -> r.get("Name").asText().equals(id));
                    }
                }
                case "Get-OrganizationConfig" -> {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("Name", "contoso");
                    out.add(o);
                }
                case "Get-ExchangeServer" -> {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("Name", "EX01");
                    o.put("AdminDisplayVersion", "Version 15.2 (Build 1118.7)");
                    out.add(o);
                }
                case "Get-ThrottlingPolicy" -> {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("Name", "GlobalThrottlingPolicy_0a1b");
                    o.put("IsDefault", true);
                    o.put("PowerShellMaxConcurrency", "18");
                    out.add(o);
                }
                default -> {
                    return error("ObjectNotFound", "The term '" + cmdlet + "' is not recognized as the name of a cmdlet.",
                            "System.Management.Automation.CommandNotFoundException");
                }
            }
        } catch (NotFound e) {
            return notFound(e.getMessage());
        }
        return new Result(out, List.copyOf(warnings), null);
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String what) {
            super(what);
        }
    }

    private Result notFound(String what) {
        return error("ObjectNotFound", "The operation couldn't be performed because object '" + what
                + "' couldn't be found on 'EX01.contoso.example'.",
                "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException");
    }

    private static Result error(String category, String message, String type) {
        return new Result(List.of(), List.of(), new Error(category, message, type));
    }

    private String resolve(String identity) {
        for (ObjectNode m : mailboxes.values()) {
            if (m.get("Identity").asText().equalsIgnoreCase(identity)
                    || m.get("PrimarySmtpAddress").asText().equalsIgnoreCase(identity)
                    || m.get("UserPrincipalName").asText().equalsIgnoreCase(identity)) {
                return m.get("Identity").asText();
            }
        }
        throw new NotFound(identity);
    }

    private ObjectNode requireMailbox(String identity) {
        if (identity == null) {
            throw new NotFound("(no identity)");
        }
        return mailboxes.get(resolve(identity));
    }

    private ObjectNode requireDevice(String identity) {
        ObjectNode d = identity == null ? null : devices.get(identity);
        if (d == null) {
            throw new NotFound(String.valueOf(identity));
        }
        return d;
    }

    private static String mailboxOf(ObjectNode d) {
        String id = d.get("Identity").asText();
        return id.substring(0, id.indexOf("\\ExchangeActiveSyncDevices\\"));
    }

    private static ObjectNode strip(ObjectNode d) {
        ObjectNode c = d.deepCopy();
        c.remove("Status");
        c.remove("DeviceWipeRequestTime");
        return c;
    }

    private static void limit(List<ObjectNode> out, ObjectNode params) {
        JsonNode rs = params.get("ResultSize");
        if (rs != null && rs.isInt()) {
            while (out.size() > rs.asInt()) {
                out.remove(out.size() - 1);
            }
        }
    }

    private static void change(ObjectNode m, String field, JsonNode change) {
        if (change == null) {
            return;
        }
        ArrayNode list = (ArrayNode) m.get(field);
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(v.asText()));
        change.path("remove").forEach(v -> values.removeIf(x -> x.equalsIgnoreCase(v.asText())));
        change.path("add").forEach(v -> {
            if (values.stream().noneMatch(x -> x.equalsIgnoreCase(v.asText()))) {
                values.add(v.asText());
            }
        });
        list.removeAll();
        values.forEach(list::add);
    }

    private void recomputeAccess(ObjectNode m) {
        String box = m.get("Identity").asText();
        for (ObjectNode d : devices.values()) {
            if (!mailboxOf(d).equals(box)) {
                continue;
            }
            String id = d.get("DeviceId").asText().toLowerCase(Locale.ROOT);
            boolean allowed = contains(m.get("ActiveSyncAllowedDeviceIDs"), id);
            boolean blocked = contains(m.get("ActiveSyncBlockedDeviceIDs"), id);
            d.put("DeviceAccessState", allowed ? "Allowed" : blocked ? "Blocked" : defaultState());
            d.put("DeviceAccessStateReason", allowed || blocked ? "Individual" : "Global");
        }
    }

    private static boolean contains(JsonNode list, String id) {
        for (JsonNode v : list) {
            if (v.asText().toLowerCase(Locale.ROOT).equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static String text(ObjectNode params, String name) {
        JsonNode n = params.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }
}
