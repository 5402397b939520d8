package com.cloudextender.modules.bes.devices;

import com.cloudextender.modules.bes.wire.Entity;
import com.cloudextender.modules.bes.wire.InventoryMessages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * One BlackBerry device as getUsersDetail reports it, with its user.
 *
 * @param pin          the device PIN, the inventory's id
 * @param userUid      the user's BWS uid
 * @param displayName  the user's display name
 * @param email        the user's first account's e-mail address
 * @param fields       the device's elements by name, as text (an enumeration object as its value)
 * @param applications the installed applications ({@code name}, {@code version}, {@code vendor})
 * @param directPolicy the user's direct IT policy
 * @param element      the device's element as BWS sent it, for operations that take the device back;
 *                     null when read through discovery's typed view
 */
public record BesDevice(String pin, String userUid, Optional<String> displayName, Optional<String> email,
                        Map<String, String> fields, List<Map<String, String>> applications,
                        Optional<String> directPolicy, Element element) {

    /** A device from the user's detail kept as DOM (actions). */
    public static BesDevice of(Entity user, Entity detail, Element device) {
        Map<String, String> fields = new HashMap<>();
        List<Map<String, String>> apps = new ArrayList<>();
        for (Element e : Entity.elementsOf(device)) {
            String name = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
            if (name.equals("applications")) {
                Map<String, String> app = new HashMap<>();
                for (String k : new String[]{"name", "version", "vendor"}) {
                    Entity.textOf(e, k).ifPresent(v -> app.put(k, v));
                }
                apps.add(app);
            } else {
                fields.putIfAbsent(name, Entity.textOf(e, "value").orElseGet(() -> e.getTextContent().trim()));
            }
        }
        Optional<String> email = detail.children("accounts").stream().map(a -> Entity.textOf(a, "emailAddress"))
                .flatMap(Optional::stream).findFirst();
        Optional<String> direct = detail.child("directITPolicy").flatMap(p -> Entity.of(p).child("policy"))
                .flatMap(p -> Entity.textOf(p, "name"));
        return new BesDevice(fields.getOrDefault("pin", ""), user.text("uid").orElse(""),
                detail.text("displayName").or(() -> user.text("displayName")), email, fields, apps, direct, device);
    }

    /** A device from discovery's typed view. */
    public static BesDevice of(InventoryMessages.UserRef user, InventoryMessages.UserView detail,
                               InventoryMessages.DeviceView d) {
        Map<String, String> f = new HashMap<>();
        put(f, "pin", d.pin);
        put(f, "model", d.model);
        put(f, "platformVersion", d.platformVersion);
        put(f, "phoneNumber", d.phoneNumber);
        put(f, "state", d.state == null ? null : d.state.value);
        put(f, "lastContactTime", d.lastContactTime);
        put(f, "totalMessagesSent", d.totalMessagesSent);
        put(f, "totalMessagesPending", d.totalMessagesPending);
        put(f, "totalMessagesExpired", d.totalMessagesExpired);
        put(f, "totalMessagesFiltered", d.totalMessagesFiltered);
        put(f, "totalMessagesForwarded", d.totalMessagesForwarded);
        put(f, "serialNumber", d.serialNumber);
        put(f, "imei", d.imei);
        put(f, "activeCarrier", d.activeCarrier);
        put(f, "network", d.network);
        put(f, "deviceType", d.deviceType);
        put(f, "vendor", d.vendor);
        put(f, "appVersion", d.appVersion);
        put(f, "itPolicyName", d.itPolicyName);
        put(f, "itPolicyStatus", d.itPolicyStatus == null ? null : d.itPolicyStatus.value);
        put(f, "passwordEnabled", d.passwordEnabled);
        List<Map<String, String>> apps = new ArrayList<>();
        for (InventoryMessages.Application a : d.applications) {
            Map<String, String> app = new HashMap<>();
            put(app, "name", a.name);
            put(app, "version", a.version);
            put(app, "vendor", a.vendor);
            apps.add(app);
        }
        Optional<String> email = detail.accounts.stream().map(a -> a.emailAddress).filter(e -> e != null).findFirst();
        Optional<String> direct = Optional.ofNullable(detail.directITPolicy).map(p -> p.policy).map(p -> p.name);
        Optional<String> name = Optional.ofNullable(detail.displayName).or(() -> Optional.ofNullable(user.displayName));
        return new BesDevice(d.pin == null ? "" : d.pin.trim(), user.uid == null ? "" : user.uid, name, email, f, apps,
                direct, null);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v.trim());
        }
    }
}
