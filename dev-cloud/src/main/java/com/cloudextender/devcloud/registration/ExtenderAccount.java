package com.cloudextender.devcloud.registration;

import java.time.Instant;

import com.cloudextender.devcloud.auth.PasswordHash;

/**
 * A registered extender: its id (also its XMPP localpart), its customer, what it said about itself
 * when it registered, and the hash of its XMPP password.
 *
 * @param id {@code ext-…}
 * @param customer the customer of the activation code it registered with
 * @param hostname the host name it reported
 * @param version the extender version it reported
 * @param machine the one-way machine hash it reported
 * @param password the salted hash of its XMPP password
 * @param revoked whether its credential has been revoked (authentication then fails)
 * @param registeredAt when it registered
 * @param registrationKey SHA-256 (hex) of the registration key the installation sent, or null (an older one)
 */
public record ExtenderAccount(String id, String customer, String hostname, String version, String machine,
        PasswordHash password, boolean revoked, Instant registeredAt, String registrationKey) {

    /** This account with its credential revoked. */
    public ExtenderAccount revoke() {
        return new ExtenderAccount(id, customer, hostname, version, machine, password, true, registeredAt,
                registrationKey);
    }

    /** This account with a new password (a repeated registration whose first answer was lost). */
    public ExtenderAccount withPassword(PasswordHash newPassword) {
        return new ExtenderAccount(id, customer, hostname, version, machine, newPassword, revoked, registeredAt,
                registrationKey);
    }
}
