package com.cloudextender.modules.exchange.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One ActiveSync partnership (a device synchronising one mailbox) as Exchange reports it, with the
 * mailbox's details and, when read, the device's statistics. Immutable.
 *
 * @param device     the Get-MobileDevice object
 * @param mailbox    the Get-CASMailbox object of its mailbox, when found
 * @param statistics the Get-MobileDeviceStatistics object, when read
 */
public record Device(ObjectNode device, Optional<ObjectNode> mailbox, Optional<ObjectNode> statistics) {
    static final String PARTNERSHIPS = "\\ExchangeActiveSyncDevices\\";

    /** The partnership's stable id: the object's Guid, else its Identity. */
    public String id() {
        String guid = text(device, "Guid");
        return guid.isEmpty() ? identity() : guid;
    }

    public String deviceId() {
        return text(device, "DeviceId");
    }

    public String identity() {
        return text(device, "Identity");
    }

    /** The mailbox part of the device's Identity ({@code <mailbox>\ExchangeActiveSyncDevices\<device>}). */
    public String mailboxIdentity() {
        return mailboxOf(identity());
    }

    static String mailboxOf(String deviceIdentity) {
        int i = deviceIdentity.indexOf(PARTNERSHIPS);
        return i < 0 ? "" : deviceIdentity.substring(0, i);
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }
}
