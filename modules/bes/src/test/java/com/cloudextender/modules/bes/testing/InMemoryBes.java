package com.cloudextender.modules.bes.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BlackBerry Enterprise Server's users, devices and IT policies in memory, as the emulated BWS serves
 * them. Thread-safe through its own lock (the emulator serves requests on several threads).
 */
public final class InMemoryBes {
    /** One device. */
    public static final class Device {
        public String pin;
        public String model = "9900";
        public String platformVersion = "7.1.0.342";
        public String phoneNumber = "+15550100";
        public String state = "RUNNING";
        public String serialNumber = "SN1";
        public String imei = "355555000000001";
        public String activeCarrier = "Carrier";
        public String network = "GSM";
        public String itPolicyName = "Default";
        public String lastContactTime = "2026-12-01T10:00:00Z";
        public int messagesSent = 10;
        public String lockedWithPassword;
        public boolean wiped;
    }

    /** One user. */
    public static final class User {
        public String uid;
        public String email;
        public String displayName;
        public String directPolicy;
        public String activationPassword;
        public Integer activationExpiryHours;
        public final List<Device> devices = new ArrayList<>();
        public final List<String> messages = new ArrayList<>();
    }

    private final AtomicInteger uids = new AtomicInteger(100);
    /** By e-mail address, so that getUsers pages in e-mail order. */
    private final TreeMap<String, User> users = new TreeMap<>();
    private final Map<String, User> byUid = new java.util.HashMap<>();
    private List<User> ordered;
    public final Map<String, String> policies = new LinkedHashMap<>();

    public InMemoryBes() {
        policies.put("1", "Default");
        policies.put("2", "Strict");
    }

    /** Adds a user with one device {@code pin}; the user. */
    public synchronized User user(String email, String pin) {
        User u = addUser(email);
        if (pin != null) {
            Device d = new Device();
            d.pin = pin;
            u.devices.add(d);
        }
        return u;
    }

    public synchronized User addUser(String email) {
        User u = new User();
        u.uid = Integer.toString(uids.incrementAndGet());
        u.email = email;
        u.displayName = email.substring(0, email.indexOf('@'));
        users.put(email.toLowerCase(), u);
        byUid.put(u.uid, u);
        ordered = null;
        return u;
    }

    public synchronized User byEmail(String email) {
        return users.get(email.toLowerCase());
    }

    public synchronized User byUid(String uid) {
        return byUid.get(uid);
    }

    public synchronized void remove(User u) {
        users.remove(u.email.toLowerCase());
        byUid.remove(u.uid);
        ordered = null;
    }

    /** Users in e-mail order from {@code start}, at most {@code count}. */
    public synchronized List<User> page(int start, int count) {
        if (ordered == null) {
            ordered = new ArrayList<>(users.values());
        }
        return new ArrayList<>(ordered.subList(Math.min(start, users.size()), Math.min(users.size(), start + count)));
    }

    public synchronized Device device(String pin) {
        for (User u : users.values()) {
            for (Device d : u.devices) {
                if (d.pin.equalsIgnoreCase(pin)) {
                    return d;
                }
            }
        }
        return null;
    }

    public synchronized int size() {
        return users.size();
    }
}
