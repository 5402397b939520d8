package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.mapping.UserObject;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the sync needs from an entry's DN, whether it is in scope and its DNS domain, decided once per
 * parent DN: parsing every entry's DN took about 15 % of the encoding thread, and the thousands of
 * entries of one OU share both answers. An entry whose DN this cannot judge from its parent (escaped
 * or quoted characters or several values in its own RDN, a {@code dc=} RDN, or an included or excluded
 * subtree directly below its parent, which it might be) gets no answer, and the caller parses its DN.
 * Not thread-safe.
 */
final class ParentDns {
    /** Enough for every OU of a large directory; past it the cache starts again rather than grow. */
    private static final int MAX_PARENTS = 10_000;
    private static final Facts UNKNOWN = new Facts(false, Optional.empty());

    private final SyncQuery query;
    private final Map<String, Facts> byParent = new HashMap<>();

    /**
     * @param inScope whether the entry is in an included subtree and in no excluded one
     * @param domain  the entry's domain, as {@link UserObject#domainOf(DN, com.cloudextender.modules.directory.config.ProfileSettings)}
     */
    record Facts(boolean inScope, Optional<String> domain) {
    }

    ParentDns(SyncQuery query) {
        this.query = query;
    }

    /** The facts of the entry named {@code dn}, or null when its DN must be parsed to know them. */
    Facts of(String dn) {
        int comma = dn.indexOf(',');
        if (comma < 0 || !plainRdn(dn, comma)) {
            return null;
        }
        String parent = dn.substring(comma + 1);
        Facts f = byParent.get(parent);
        if (f == null) {
            if (byParent.size() >= MAX_PARENTS) {
                byParent.clear();
            }
            f = judge(parent);
            byParent.put(parent, f);
        }
        return f == UNKNOWN ? null : f;
    }

    /**
     * True when the RDN before {@code comma} has one value, no escapes or quotes (so that this comma
     * ends it), and is not a {@code dc=} RDN (which would be part of the domain).
     */
    private static boolean plainRdn(String dn, int comma) {
        int equals = -1;
        for (int i = 0; i < comma; i++) {
            char c = dn.charAt(i);
            if (c == '\\' || c == '"' || c == '+' || c == ';') {
                return false;
            }
            if (c == '=' && equals < 0) {
                equals = i;
            }
        }
        return equals > 0 && !isDc(dn, equals);
    }

    /** True when the attribute name before {@code equals}, spaces around it ignored, is {@code dc}. */
    private static boolean isDc(String dn, int equals) {
        int from = 0;
        int to = equals;
        while (from < to && dn.charAt(from) == ' ') {
            from++;
        }
        while (to > from && dn.charAt(to - 1) == ' ') {
            to--;
        }
        return to - from == 2 && dn.regionMatches(true, from, "dc", 0, 2);
    }

    /**
     * The facts every child of {@code parent} shares: a child that is not itself an included or excluded
     * subtree is inside one exactly when its parent is, so the parent's own scope decides it.
     */
    private Facts judge(String parent) {
        DN p;
        try {
            p = new DN(parent);
        } catch (LDAPException e) {
            return UNKNOWN; // the caller parses the whole DN and reports what is wrong with it
        }
        for (List<DN> bounds : List.of(query.scope().includeOus(), query.scope().excludeOus())) {
            for (DN b : bounds) {
                if (p.equals(b.getParent())) {
                    return UNKNOWN; // the child may be that subtree itself
                }
            }
        }
        // The child's own RDN is not a dc= RDN (see plainRdn), so its domain is its parent's.
        return new Facts(query.inScope(p), UserObject.domainOf(p, query.profile()));
    }

}
