package com.cloudextender.devcloud.registration;

/**
 * The outcome of a successful registration: the new account and its password in clear text, which
 * exists only in this value and in the HTTP answer to the extender.
 *
 * @param account the new account
 * @param password the XMPP password issued to the extender
 */
public record Registration(ExtenderAccount account, String password) {
    @Override
    public String toString() {
        return "Registration[" + account.id() + ", customer " + account.customer() + "]"; // never the password
    }
}
