package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.config.GroupNesting;
import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The members of a group resolved through nested groups down to the entries that are not groups
 * (users, contacts, computers). Active Directory answers in one search
 * ({@code (memberOf:1.2.840.113556.1.4.1941:=<group>)} under the user filter); elsewhere the groups
 * under the base DN are listed once, and each member that is one of them is read and expanded in
 * turn. A group already expanded is skipped (cycles end), nesting stops after
 * {@link NestedGroups#MAX_DEPTH} levels, and at most {@link #MAX_MEMBERS} members are collected.
 */
public final class NestedMembers {
    static final int MAX_MEMBERS = 100_000;

    private NestedMembers() {
    }

    /**
     * The resolved members.
     *
     * @param members   member DNs, each once, in the order found
     * @param truncated true when a cap cut the walk short
     */
    public record Resolved(List<String> members, boolean truncated) {
    }

    /** The members of {@code group} (an entry read with the member attribute), through nested groups. */
    public static Resolved of(ProfileConnections c, Entry group) throws LDAPException {
        ProfileSettings p = c.profile();
        if (p.nesting() == GroupNesting.IN_CHAIN) {
            Filter f = Filter.createANDFilter(p.userFilter(),
                    Filter.createExtensibleMatchFilter("memberOf", NestedGroups.IN_CHAIN, false, group.getDN()));
            List<String> dns;
            try {
                dns = PagedDns.search(c.pool(), p.baseDn().toString(), f, MAX_MEMBERS);
            } catch (LDAPException e) {
                if (!NestedGroups.inChainUnsupported(c, e)) {
                    throw e;
                }
                return expand(c, group);
            }
            boolean cut = dns.size() > MAX_MEMBERS;
            return new Resolved(cut ? List.copyOf(dns.subList(0, MAX_MEMBERS)) : List.copyOf(dns), cut);
        }
        return expand(c, group);
    }

    private record Pending(Entry group, int depth) {
    }

    private static Resolved expand(ProfileConnections c, Entry top) throws LDAPException {
        ProfileSettings p = c.profile();
        Set<String> groups = NestedGroups.keys(PagedDns.search(c.pool(), p.baseDn().toString(), p.groupFilter(),
                NestedGroups.MAX_GROUPS * 10));
        Set<String> expanded = new HashSet<>();
        expanded.add(NestedGroups.key(top.getDN()));
        Map<String, String> members = new LinkedHashMap<>();
        Deque<Pending> queue = new ArrayDeque<>();
        queue.add(new Pending(top, 1));
        boolean truncated = false;
        while (!queue.isEmpty()) {
            Pending next = queue.poll();
            List<String> nestedGroups = new ArrayList<>();
            List<String> values = new ArrayList<>();
            RangedValues.forEach(c.pool(), next.group(), p.memberAttribute(), values::add);
            for (String dn : values) {
                String key = NestedGroups.key(dn);
                if (groups.contains(key)) {
                    if (expanded.add(key)) {
                        nestedGroups.add(dn);
                    }
                } else if (members.size() < MAX_MEMBERS) {
                    members.putIfAbsent(key, dn);
                } else if (!members.containsKey(key)) {
                    truncated = true;
                }
            }
            if (!nestedGroups.isEmpty() && next.depth() >= NestedGroups.MAX_DEPTH) {
                truncated = true;
                continue;
            }
            for (String dn : nestedGroups) {
                Entry e = c.pool().getEntry(dn, p.memberAttribute());
                if (e != null) {
                    queue.add(new Pending(e, next.depth() + 1));
                }
            }
        }
        return new Resolved(List.copyOf(members.values()), truncated);
    }
}
