package com.cloudextender.modules.exchange.devices;

import com.cloudextender.modules.support.inventory.ItemFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The cloud's record of a device: Exchange's property names mapped to the module's own, always in the
 * same order (the sync's digest depends on it); absent properties are left out.
 */
public final class DeviceJson implements ItemFormat<Device> {
    /** The module's field, then the Get-MobileDevice property it comes from. */
    private static final String[][] DEVICE = {
        {"deviceId", "DeviceId"}, {"identity", "Identity"}, {"deviceType", "DeviceType"}, {"model", "DeviceModel"},
        {"os", "DeviceOS"}, {"userAgent", "DeviceUserAgent"}, {"imei", "DeviceImei"}, {"friendlyName", "FriendlyName"},
        {"clientType", "ClientType"}, {"accessState", "DeviceAccessState"},
        {"accessStateReason", "DeviceAccessStateReason"}, {"accessRule", "DeviceAccessControlRule"},
        {"firstSyncTime", "FirstSyncTime"}, {"userDisplayName", "UserDisplayName"},
    };
    private static final String[][] MAILBOX = {
        {"identity", "Identity"}, {"userPrincipalName", "UserPrincipalName"},
        {"primarySmtpAddress", "PrimarySmtpAddress"}, {"displayName", "DisplayName"},
        {"activeSyncMailboxPolicy", "ActiveSyncMailboxPolicy"},
    };
    private static final String[][] STATISTICS = {
        {"lastSuccessSync", "LastSuccessSync"}, {"lastSyncAttemptTime", "LastSyncAttemptTime"},
        {"policyApplied", "DevicePolicyApplied"}, {"policyApplicationStatus", "DevicePolicyApplicationStatus"},
        {"wipeRequestTime", "DeviceWipeRequestTime"}, {"wipeSentTime", "DeviceWipeSentTime"},
        {"wipeAckTime", "DeviceWipeAckTime"}, {"status", "Status"},
    };

    @Override
    public String id(Device d) {
        return d.id();
    }

    @Override
    public void writeFields(Device d, JsonGenerator out) throws IOException {
        write(out, d.device(), DEVICE);
        if (d.mailbox().isPresent()) {
            out.writeObjectFieldStart("mailbox");
            write(out, d.mailbox().get(), MAILBOX);
            out.writeEndObject();
        } else if (!d.mailboxIdentity().isEmpty()) {
            out.writeObjectFieldStart("mailbox");
            out.writeStringField("identity", d.mailboxIdentity());
            out.writeEndObject();
        }
        if (d.statistics().isPresent()) {
            out.writeObjectFieldStart("statistics");
            write(out, d.statistics().get(), STATISTICS);
            out.writeEndObject();
        }
    }

    /** The device as one JSON object with {@code id}, as actions return it. */
    public ObjectNode toJson(Device d) {
        ObjectNode o = com.cloudextender.modules.support.Json.object();
        o.put("id", d.id());
        try (var g = new com.fasterxml.jackson.databind.util.TokenBuffer(com.cloudextender.modules.support.Json.MAPPER, false)) {
            g.writeStartObject();
            writeFields(d, g);
            g.writeEndObject();
            o.setAll((ObjectNode) com.cloudextender.modules.support.Json.MAPPER.readTree(g.asParser()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a device as JSON: " + e.getMessage(), e);
        }
        return o;
    }

    private static void write(JsonGenerator out, JsonNode source, String[][] fields) throws IOException {
        for (String[] f : fields) {
            JsonNode v = source.get(f[1]);
            if (v == null || v.isNull()) {
                continue;
            }
            out.writeFieldName(f[0]);
            if (v.isValueNode()) {
                out.writeString(v.asText());
            } else {
                out.writeTree(v);
            }
        }
    }
}
