package com.cloudextender.core.proxy.auth;

import java.util.Optional;

/**
 * Who logs in with NTLM: the user without domain, the domain, and the name this machine gives.
 *
 * @param name        the account name
 * @param domain      its domain (NetBIOS or DNS name); empty for an account local to the proxy
 * @param workstation this machine's name in the exchange
 */
public record NtlmUser(String name, String domain, String workstation) {

    /**
     * From {@code proxy.username}, which may be written {@code DOMAIN\\user} or {@code user@domain};
     * {@code proxy.domain}, when set, wins over a domain written in the user name.
     */
    public static NtlmUser of(String username, Optional<String> domain, String workstation) {
        String name = username;
        String written = "";
        int slash = username.indexOf('\\');
        int at = username.lastIndexOf('@');
        if (slash > 0) {
            written = username.substring(0, slash);
            name = username.substring(slash + 1);
        } else if (at > 0) {
            written = username.substring(at + 1);
            name = username.substring(0, at);
        }
        return new NtlmUser(name, domain.filter(d -> !d.isBlank()).orElse(written), workstation);
    }

    @Override
    public String toString() {
        return domain.isEmpty() ? name : domain + "\\" + name;
    }
}
