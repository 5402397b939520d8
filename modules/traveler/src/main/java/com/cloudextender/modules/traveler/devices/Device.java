package com.cloudextender.modules.traveler.devices;

import java.util.List;
import java.util.Locale;

/**
 * One device registration on the Traveler server (a device of one user), as the administration API
 * reports it. Texts the server left out are empty. Immutable.
 *
 * @param user          the user's Domino name, e.g. {@code CN=Ann Lee/O=Acme}
 * @param deviceId      the device id the client registered with
 * @param name          the device's name
 * @param type          the device type, e.g. {@code Apple iPhone}
 * @param os            the operating system and its version
 * @param clientType    the client, e.g. ActiveSync or HCL Verse
 * @param clientVersion the client's version
 * @param lastSync      the last synchronisation, as the server wrote it
 * @param state         the registration's state, e.g. Active, Inactive, Deleted
 * @param access        Allow or Deny
 * @param approval      the approval state, e.g. Approved, Pending, Denied
 * @param wipeStatus    the wipe request's state, e.g. None, Pending, Sent, Complete
 * @param wipeOptions   the options of the pending or completed wipe (server names)
 * @param wipeSupported the wipe options the device supports (server names)
 * @param policy        the settings or policy document that applies
 */
public record Device(String user, String deviceId, String name, String type, String os, String clientType,
                     String clientVersion, String lastSync, String state, String access, String approval,
                     String wipeStatus, List<String> wipeOptions, List<String> wipeSupported, String policy) {
    public Device {
        wipeOptions = List.copyOf(wipeOptions);
        wipeSupported = List.copyOf(wipeSupported);
    }

    /** The inventory id: user and device id, since one device id may be registered for several users. */
    public String id() {
        return user + "|" + deviceId;
    }

    /** True when this registration belongs to {@code otherUser} (Domino names compare without case). */
    public boolean isOf(String otherUser) {
        return user.toLowerCase(Locale.ROOT).equals(otherUser.toLowerCase(Locale.ROOT));
    }
}
