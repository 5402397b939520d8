package com.cloudextender.modules.directory.config;

import com.cloudextender.api.ModuleConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One directory profile: where the servers are, how to bind as the service account, and the schema
 * to use. Read from the flat keys {@code profile.<name>.*}; the {@link ProfileType} supplies the
 * defaults. Immutable; {@link #toString()} never shows the bind password.
 *
 * @param name             the profile's name, for example {@code corp}
 * @param type             the directory type whose defaults apply
 * @param servers          LDAP URLs tried in order ({@code ldaps://dc1:636}, {@code ldap://dc2:389})
 * @param startTls         upgrade {@code ldap://} connections with StartTLS (the default)
 * @param allowPlaintext   the administrator accepted {@code ldap://} without StartTLS: passwords in clear
 * @param bindDn           the service account's DN
 * @param bindPassword     the service account's password (a secret)
 * @param baseDn           where users and groups are searched
 * @param userFilter       the filter that selects user entries
 * @param loginAttributes  attributes a user name is matched against
 * @param domain           the domain name a login may carry ({@code CORP\alice}), if any
 * @param trustStore       a PEM file of trusted certificates; empty means the JVM's default trust
 * @param poolSize         the service account's pool size
 * @param groupObjectClass the object class of groups
 * @param memberAttribute  the attribute of a group listing member DNs
 * @param idAttribute      the stable id attribute (objectGUID, entryUUID…)
 * @param binaryId         true when the id attribute holds bytes (objectGUID) rather than text
 * @param userAttributes   attributes returned for a user
 * @param mapping          which attributes fill the cloud's user fields
 * @param nesting          how nested group memberships are found
 */
public record ProfileSettings(String name, ProfileType type, List<String> servers, boolean startTls,
                              boolean allowPlaintext, String bindDn,
                              String bindPassword, DN baseDn, Filter userFilter, List<String> loginAttributes,
                              Optional<String> domain, Optional<String> trustStore, int poolSize,
                              String groupObjectClass, String memberAttribute, String idAttribute, boolean binaryId,
                              List<String> userAttributes, UserMapping mapping, GroupNesting nesting) {

    /** Reads profile {@code name} from {@code config}; messages name the key that is wrong. */
    public static ProfileSettings read(ModuleConfig config, String name) {
        String p = "profile." + name + ".";
        ProfileType type = ProfileType.named(p + "type", config.get(p + "type").orElse("activeDirectory"));
        List<String> servers = list(config.require(p + "servers"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException(p + "servers: empty; give at least one ldap:// or ldaps:// URL");
        }
        int poolSize = config.intValue(p + "poolSize", 4);
        if (poolSize < 1 || poolSize > 100) {
            throw new IllegalArgumentException(p + "poolSize: " + poolSize + " is out of range; allowed 1 to 100");
        }
        Filter userFilter = filter(p + "userFilter", config.get(p + "userFilter").orElse(type.userFilter()));
        boolean allowPlaintext = config.boolValue(p + "allowPlaintext", false);
        // StartTLS unless the administrator explicitly accepted plain LDAP for this profile.
        boolean startTls = config.boolValue(p + "startTls", !allowPlaintext);
        if (!startTls && !allowPlaintext && servers.stream().anyMatch(ProfileSettings::isPlainUrl)) {
            throw new IllegalArgumentException(p + "startTls: false, but " + p + "servers has an ldap:// URL: the service"
                    + " account's and users' passwords would cross the network in clear. Keep StartTLS, use ldaps://,"
                    + " or set " + p + "allowPlaintext=true to accept plain LDAP for profile " + name);
        }
        return new ProfileSettings(name, type, servers, startTls, allowPlaintext,
                config.require(p + "bindDn"),
                config.require(p + "bindPassword"),
                dn(p + "baseDn", config.require(p + "baseDn")),
                userFilter,
                config.get(p + "loginAttributes").map(ProfileSettings::list).orElse(type.loginAttributes()),
                config.get(p + "domain").map(String::trim).filter(s -> !s.isEmpty()),
                config.get(p + "trustStore").map(String::trim).filter(s -> !s.isEmpty()),
                poolSize,
                config.get(p + "groupObjectClass").orElse(type.groupObjectClass()),
                config.get(p + "memberAttribute").orElse(type.memberAttribute()),
                config.get(p + "idAttribute").orElse(type.idAttribute()),
                config.boolValue(p + "binaryId", type.binaryId()),
                config.get(p + "userAttributes").map(ProfileSettings::list).orElse(type.userAttributes()),
                UserMapping.read(config, p, type),
                config.get(p + "nestedGroups").map(v -> GroupNesting.named(p + "nestedGroups", v)).orElse(type.nesting()));
    }

    /** True when some server is reached over plain LDAP: an {@code ldap://} URL without StartTLS. */
    public boolean plaintext() {
        return !startTls && servers.stream().anyMatch(ProfileSettings::isPlainUrl);
    }

    private static boolean isPlainUrl(String url) {
        return url.trim().toLowerCase(java.util.Locale.ROOT).startsWith("ldap://");
    }

    /** The filter selecting groups. */
    public Filter groupFilter() {
        return Filter.createEqualityFilter("objectClass", groupObjectClass);
    }

    /** Splits a comma-separated list, trimming blanks away. */
    public static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static DN dn(String key, String value) {
        try {
            return new DN(value);
        } catch (LDAPException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a DN (" + e.getMessage() + ")");
        }
    }

    static Filter filter(String key, String value) {
        try {
            return Filter.create(value);
        } catch (LDAPException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not an LDAP filter (" + e.getMessage() + ")");
        }
    }

    @Override
    public String toString() {
        return "profile " + name + " (" + type + ", " + servers + ", base " + baseDn + ", bind " + bindDn + ")";
    }
}
