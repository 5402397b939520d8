package com.cloudextender.core.diagnose;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How the directory module will reach a profile's servers, read from its settings by the module's own
 * rules: {@code ldap://} URLs use StartTLS unless {@code allowPlaintext=true}; {@code startTls=false} on an
 * {@code ldap://} URL without {@code allowPlaintext} is refused by the module. Diagnose reports plain LDAP
 * as a warning, since users' passwords then cross the network in clear.
 *
 * @param startTls  whether {@code ldap://} connections are upgraded
 * @param plaintext whether some server is reached over plain LDAP
 * @param problem   the refusal the module would give this profile, if any
 */
record DirectoryTransport(boolean startTls, boolean plaintext, Optional<String> problem) {

    /** The transport of profile {@code profile} in {@code p} (the directory module's settings). */
    static DirectoryTransport of(String profile, Properties p, List<String> servers) {
        String k = "profile." + profile + ".";
        boolean allowPlaintext = Boolean.parseBoolean(p.getProperty(k + "allowPlaintext", "false").trim());
        boolean startTls = Boolean.parseBoolean(p.getProperty(k + "startTls", Boolean.toString(!allowPlaintext)).trim());
        boolean plainUrl = servers.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).startsWith("ldap://"));
        if (!startTls && plainUrl && !allowPlaintext) {
            return new DirectoryTransport(false, true, Optional.of(k + "startTls=false on an ldap:// server without "
                    + k + "allowPlaintext=true: the directory module refuses this profile"));
        }
        return new DirectoryTransport(startTls, !startTls && plainUrl, Optional.empty());
    }

    /** The check to report for this transport, if it is not simply fine. */
    Optional<Check> check(String name, String profile) {
        String k = "profile." + profile + ".";
        if (problem.isPresent()) {
            return Optional.of(Check.fail(name + " transport", problem.get(), "remove " + k + "startTls=false (StartTLS),"
                    + " use ldaps://, or set " + k + "allowPlaintext=true to accept passwords in clear"));
        }
        if (plaintext) {
            return Optional.of(Check.warn(name + " transport", "plain LDAP without StartTLS (" + k
                    + "allowPlaintext=true): the service account's and users' passwords cross the network in clear",
                    "use ldaps:// or StartTLS with " + k + "trustStore, then remove " + k + "allowPlaintext"));
        }
        return Optional.empty();
    }
}
