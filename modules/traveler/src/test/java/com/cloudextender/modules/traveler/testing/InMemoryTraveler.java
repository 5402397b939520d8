package com.cloudextender.modules.traveler.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of an emulated Traveler server: device registrations in registration order, the approval
 * settings, the policies. Thread-safe through its own lock; the emulated API reads and changes it.
 */
public final class InMemoryTraveler {
    /** One device registration, with the fields the administration API reports. */
    public static final class Reg {
        public String user;
        public String deviceId;
        public String name;
        public String type;
        public String os;
        public String clientType = "ActiveSync";
        public String clientVersion = "";
        public String lastSync = "2026-12-05T08:00:00Z";
        public String state = "Active";
        public String access = "Allow";
        public String approval = "Approved";
        public String wipeStatus = "None";
        public List<String> wipeOptions = new ArrayList<>();
        public List<String> wipeSupported = new ArrayList<>(List.of("HardReset", "Application", "StorageCard"));
        public String policy = "Default Settings";
    }

    private final Map<String, Reg> devices = new LinkedHashMap<>();
    public boolean requireApproval = false;
    public int devicesBeforeApproval = 1;
    public List<String> notifyAddresses = new ArrayList<>();
    /** When true, security actions and removals are accepted and ignored (a server that misbehaves). */
    public volatile boolean ignoreChanges;

    public synchronized Reg add(String user, String deviceId, String type, String os) {
        Reg r = new Reg();
        r.user = user;
        r.deviceId = deviceId;
        r.name = deviceId + " of " + user;
        r.type = type;
        r.os = os;
        devices.put(key(user, deviceId), r);
        return r;
    }

    public synchronized Reg get(String user, String deviceId) {
        return devices.get(key(user, deviceId));
    }

    public synchronized List<Reg> all() {
        return new ArrayList<>(devices.values());
    }

    public synchronized boolean remove(String user, String deviceId) {
        return devices.remove(key(user, deviceId)) != null;
    }

    public synchronized int size() {
        return devices.size();
    }

    private static String key(String user, String deviceId) {
        return user.toLowerCase(java.util.Locale.ROOT) + "|" + deviceId;
    }
}
