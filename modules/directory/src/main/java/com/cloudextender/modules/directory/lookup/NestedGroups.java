package com.cloudextender.modules.directory.lookup;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every group a user belongs to, directly or through other groups, as the profile's
 * {@link com.cloudextender.modules.directory.config.GroupNesting} says: Active Directory walks the chain
 * itself ({@code (member:1.2.840.113556.1.4.1941:=<dn>)}); elsewhere the groups listing the groups
 * found so far are searched level by level. A DN already seen is not followed again, so a cycle
 * (A ⊃ B ⊃ A) ends; the walk stops after {@link #MAX_DEPTH} levels or {@link #MAX_GROUPS} groups.
 */
public final class NestedGroups {
    /** Active Directory's LDAP_MATCHING_RULE_IN_CHAIN. */
    public static final String IN_CHAIN = "1.2.840.113556.1.4.1941";
    static final int MAX_DEPTH = 16;
    static final int MAX_GROUPS = 10_000;
    /** Groups looked for per search when expanding: an OR of this many member= terms stays small. */
    static final int BATCH = 50;
    private static final Logger LOG = LoggerFactory.getLogger(NestedGroups.class);
    /** Profiles already warned about a server without the in-chain rule. */
    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private NestedGroups() {
    }

    /** The DNs of {@code user}'s groups: the direct ones first, then those reached through them. */
    public static List<String> of(ProfileConnections c, SearchResultEntry user) throws LDAPException {
        List<String> direct = UserGroups.of(c, user);
        return switch (c.profile().nesting()) {
            case DIRECT -> direct;
            case IN_CHAIN -> {
                try {
                    yield inChain(c, user.getDN(), direct);
                } catch (LDAPException e) {
                    if (!inChainUnsupported(c, e)) {
                        throw e;
                    }
                    yield expand(c, direct);
                }
            }
            case EXPAND -> expand(c, direct);
        };
    }

    private static List<String> inChain(ProfileConnections c, String userDn, List<String> direct) throws LDAPException {
        ProfileSettings p = c.profile();
        Filter f = Filter.createANDFilter(p.groupFilter(),
                Filter.createExtensibleMatchFilter(p.memberAttribute(), IN_CHAIN, false, userDn));
        Map<String, String> all = new LinkedHashMap<>();
        direct.forEach(d -> all.putIfAbsent(key(d), d));
        List<String> found = PagedDns.search(c.pool(), p.baseDn().toString(), f, MAX_GROUPS);
        found.stream().limit(MAX_GROUPS).forEach(d -> all.putIfAbsent(key(d), d));
        if (found.size() > MAX_GROUPS) {
            LOG.warn("{} belongs to more than {} groups; only the first are reported", userDn, MAX_GROUPS);
        }
        return List.copyOf(all.values());
    }

    private static List<String> expand(ProfileConnections c, List<String> direct) throws LDAPException {
        ProfileSettings p = c.profile();
        Map<String, String> all = new LinkedHashMap<>();
        List<String> frontier = new ArrayList<>();
        for (String d : direct) {
            if (all.putIfAbsent(key(d), d) == null) {
                frontier.add(d);
            }
        }
        for (int depth = 1; !frontier.isEmpty(); depth++) {
            if (depth >= MAX_DEPTH || all.size() >= MAX_GROUPS) {
                LOG.warn("Group nesting deeper than {} levels or wider than {} groups in profile {}; the walk stopped "
                        + "at {}", MAX_DEPTH, MAX_GROUPS, p.name(), frontier.get(0));
                break;
            }
            List<String> next = new ArrayList<>();
            for (int i = 0; i < frontier.size(); i += BATCH) {
                List<Filter> members = frontier.subList(i, Math.min(frontier.size(), i + BATCH)).stream()
                        .map(g -> Filter.createEqualityFilter(p.memberAttribute(), g)).toList();
                Filter f = Filter.createANDFilter(p.groupFilter(), Filter.createORFilter(members));
                for (String parent : PagedDns.search(c.pool(), p.baseDn().toString(), f, MAX_GROUPS)) {
                    if (all.putIfAbsent(key(parent), parent) == null) {
                        next.add(parent);
                    }
                }
            }
            frontier = next;
        }
        return List.copyOf(all.values());
    }

    /**
     * True when {@code e} says the server does not know the in-chain rule (a directory typed
     * activeDirectory that is not one): the caller then expands level by level; warned once per profile.
     */
    static boolean inChainUnsupported(ProfileConnections c, LDAPException e) {
        ResultCode rc = e.getResultCode();
        boolean unsupported = rc == ResultCode.INAPPROPRIATE_MATCHING || rc == ResultCode.UNWILLING_TO_PERFORM
                || rc == ResultCode.PROTOCOL_ERROR || rc == ResultCode.UNDEFINED_ATTRIBUTE_TYPE;
        if (unsupported && WARNED.add(c.profile().name())) {
            LOG.warn("Profile {}: the server refused the in-chain matching rule ({}); nested groups are expanded level "
                    + "by level instead. Set profile.{}.nestedGroups=expand to say so", c.profile().name(),
                    e.getExceptionMessage(), c.profile().name());
        }
        return unsupported;
    }

    /** A DN's normalised form, so that case and spacing differences do not defeat cycle detection. */
    static String key(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn;
        }
    }

    /** The normalised forms of {@code dns}. */
    static Set<String> keys(List<String> dns) {
        Set<String> s = new HashSet<>();
        dns.forEach(d -> s.add(key(d)));
        return s;
    }
}
