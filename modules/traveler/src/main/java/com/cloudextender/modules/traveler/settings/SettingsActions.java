package com.cloudextender.modules.traveler.settings;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.traveler.api.TravelerClient;
import com.cloudextender.modules.traveler.api.TravelerException;
import com.cloudextender.modules.traveler.api.TravelerException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings: the device approval settings (Device Settings, Preferences, Device Access:
 * require approval, devices allowed per user before approval, addresses to notify), read or changed
 * and read back; and the policies and default device settings, read for the cloud.
 */
public final class SettingsActions {
    static final String APPROVAL = "settings/approval";
    private final TravelerClient client;

    public SettingsActions(TravelerClient client) {
        this.client = client;
    }

    /** The approval settings a change asks for; empty fields stay as they are. */
    public record ApprovalChange(Optional<Boolean> requireApproval, Optional<Integer> devicesBeforeApproval,
                                 Optional<List<String>> notifyAddresses) {
        /** True when nothing is to change: a read. */
        public boolean isEmpty() {
            return requireApproval.isEmpty() && devicesBeforeApproval.isEmpty() && notifyAddresses.isEmpty();
        }
    }

    /** Reads the approval settings, or changes them and returns what the server then reports. */
    public ObjectNode approvalSettings(ApprovalChange change) throws TravelerException, InterruptedException {
        ObjectNode current = client.getObject(APPROVAL, Map.of());
        ObjectNode result = Json.object();
        if (change.isEmpty()) {
            result.set("approvalSettings", current);
            return result;
        }
        ObjectNode wanted = current.deepCopy();
        change.requireApproval().ifPresent(v -> wanted.put("requireApproval", v));
        change.devicesBeforeApproval().ifPresent(v -> wanted.put("devicesBeforeApproval", v));
        change.notifyAddresses().ifPresent(v -> {
            ArrayNode a = wanted.putArray("notifyAddresses");
            v.forEach(a::add);
        });
        client.put(APPROVAL, wanted);
        ObjectNode after = client.getObject(APPROVAL, Map.of());
        List<String> differ = new ArrayList<>();
        for (String f : new String[]{"requireApproval", "devicesBeforeApproval", "notifyAddresses"}) {
            JsonNode w = wanted.get(f);
            if (w != null && !w.equals(after.get(f))) {
                differ.add(f);
            }
        }
        if (!differ.isEmpty()) {
            throw new TravelerException(Reason.NOT_APPLIED, "the server accepted the approval settings but reading them "
                    + "again shows " + String.join(", ", differ) + " unchanged or different: " + Json.text(after));
        }
        result.put("applied", true);
        result.set("approvalSettings", after);
        return result;
    }

    /** The policies ({@code GET policies}) and the default device settings ({@code GET settings/default}). */
    public ObjectNode policies() throws TravelerException, InterruptedException {
        ObjectNode list = client.getObject("policies", Map.of());
        JsonNode policies = list.get("policies");
        if (policies == null || !policies.isArray()) {
            throw new TravelerException(Reason.GARBAGE, "GET policies on " + client.server()
                    + ": the answer has no \"policies\" array");
        }
        ObjectNode o = Json.object();
        o.put("count", policies.size());
        o.set("policies", policies);
        o.set("defaultSettings", client.getObject("settings/default", Map.of()));
        return o;
    }
}
