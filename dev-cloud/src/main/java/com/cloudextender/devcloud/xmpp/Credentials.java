package com.cloudextender.devcloud.xmpp;

/** Checks the username and password a client presents in SASL PLAIN. */
@FunctionalInterface
public interface Credentials {
    /**
     * Checks a login.
     *
     * @param username the account's localpart, lower case
     * @param password the password as presented
     * @return null when the login is valid, else the reason for the log (never containing the password)
     */
    String refusalReason(String username, String password);
}
