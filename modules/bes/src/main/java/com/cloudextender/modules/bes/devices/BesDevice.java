package com.cloudextender.modules.bes.devices;

import com.cloudextender.modules.bes.wire.Entity;
import java.util.Optional;

/**
 * One BlackBerry device as getUsersDetail reports it, with its user.
 *
 * @param user   the user as getUsers returned it (its {@code uid} is the user's BWS id)
 * @param detail the user's detail (display name, accounts, IT policies)
 * @param device the device
 */
public record BesDevice(Entity user, Entity detail, Entity device) {
    /** The device PIN, the inventory's id. */
    public String pin() {
        return device.text("pin").orElse("");
    }

    /** The user's BWS uid. */
    public String userUid() {
        return user.text("uid").orElse("");
    }

    /** The user's first account's e-mail address, if any. */
    public Optional<String> email() {
        return detail.children("accounts").stream().map(a -> Entity.textOf(a, "emailAddress"))
                .flatMap(Optional::stream).findFirst().or(() -> user.text("emailAddress"));
    }
}
