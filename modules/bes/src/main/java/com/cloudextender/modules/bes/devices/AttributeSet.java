package com.cloudextender.modules.bes.devices;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The groups of device attributes the cloud can ask for, each with the BWS {@code Device} elements it
 * is made of (record field, then element). Elements the server does not send are left out of the
 * record; which element names are confirmed is listed in the README.
 */
public enum AttributeSet {
    CORE("core", new String[][]{{"model", "model"}, {"platformVersion", "platformVersion"},
        {"phoneNumber", "phoneNumber"}, {"state", "state"}}),
    HEARTBEAT("heartbeat", new String[][]{{"lastContactTime", "lastContactTime"},
        {"messagesSent", "totalMessagesSent"}, {"messagesPending", "totalMessagesPending"},
        {"messagesExpired", "totalMessagesExpired"}, {"messagesFiltered", "totalMessagesFiltered"},
        {"messagesForwarded", "totalMessagesForwarded"}}),
    HARDWARE_NETWORK("hardwareNetwork", new String[][]{{"serialNumber", "serialNumber"}, {"imei", "imei"},
        {"activeCarrier", "activeCarrier"}, {"network", "network"}}),
    FEATURES("features", new String[][]{{"deviceType", "deviceType"}, {"vendor", "vendor"},
        {"appVersion", "appVersion"}}),
    SECURITY("security", new String[][]{{"itPolicyName", "itPolicyName"}, {"itPolicyStatus", "itPolicyStatus"},
        {"passwordEnabled", "passwordEnabled"}}),
    SOFTWARE("software", new String[][]{});

    private final String key;
    private final String[][] fields;

    AttributeSet(String key, String[][] fields) {
        this.key = key;
        this.fields = fields;
    }

    /** The set's name in arguments, configuration and inventory names. */
    public String key() {
        return key;
    }

    String[][] fields() {
        return fields;
    }

    /** The sets named in {@code names}; every set when empty. */
    public static Set<AttributeSet> parse(List<String> names) {
        if (names.isEmpty()) {
            return EnumSet.allOf(AttributeSet.class);
        }
        Set<AttributeSet> out = EnumSet.noneOf(AttributeSet.class);
        for (String n : names) {
            AttributeSet found = null;
            for (AttributeSet s : values()) {
                if (s.key.equalsIgnoreCase(n.trim())) {
                    found = s;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("attributeSets: '" + n + "' is not one of " + keys());
            }
            out.add(found);
        }
        return out;
    }

    /** Every set's key, in order. */
    public static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (AttributeSet s : values()) {
            out.add(s.key);
        }
        return out;
    }

    /** The inventory name of {@code sets}: {@code devices} for all, else {@code devices-<set>-<set>}. */
    public static String inventoryName(Set<AttributeSet> sets) {
        if (sets.equals(EnumSet.allOf(AttributeSet.class))) {
            return "devices";
        }
        StringBuilder b = new StringBuilder("devices");
        for (AttributeSet s : sets) {
            b.append('-').append(s.key.toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
