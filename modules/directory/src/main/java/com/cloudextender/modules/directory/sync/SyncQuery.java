package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.config.SyncSettings;
import com.cloudextender.modules.directory.lookup.UserFinder;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one profile's sync reads: the filter selecting OUs, users and groups, the attributes, the
 * included subtrees and, for readers that need one search, the closest entry above all of them.
 * Immutable.
 *
 * @param profile    the profile
 * @param scope      the included and excluded subtrees and the user attributes
 * @param filter     OUs, containers, users and groups
 * @param attributes the attributes every reader asks for
 * @param pageSize   entries per page of a paged search
 */
record SyncQuery(ProfileSettings profile, SyncSettings.Scope scope, Filter filter, String[] attributes, int pageSize) {

    static SyncQuery of(ProfileSettings profile, SyncSettings.Scope scope, int pageSize) {
        Filter filter = Filter.createORFilter(
                Filter.createEqualityFilter("objectClass", "organizationalUnit"),
                Filter.createEqualityFilter("objectClass", "container"),
                profile.userFilter(), profile.groupFilter());
        Set<String> attrs = new LinkedHashSet<>(scope.userAttributes());
        attrs.addAll(UserFinder.attributes(profile));
        attrs.add("objectClass");
        attrs.add(profile.memberAttribute());
        return new SyncQuery(profile, scope, filter, attrs.toArray(String[]::new), pageSize);
    }

    /** True when {@code dn} lies in an included subtree and in no excluded one. */
    boolean inScope(DN dn) {
        // A loop rather than a stream: the sync checks every entry.
        for (DN in : scope.includeOus()) {
            if (dn.isDescendantOf(in, true)) {
                return !scope.excluded(dn);
            }
        }
        return false;
    }

    /**
     * The closest DN at or above every included subtree: readers that keep one position per search
     * search there, so that an entry moved out of scope is seen (and deleted) rather than missed.
     */
    DN searchBase() {
        List<DN> includes = scope.includeOus();
        DN base = includes.get(0);
        while (base != null && !base.isNullDN()) {
            DN candidate = base;
            if (includes.stream().allMatch(d -> d.isDescendantOf(candidate, true))) {
                return base;
            }
            base = base.getParent();
        }
        return DN.NULL_DN;
    }

    /**
     * A short digest of everything that decides which entries are in scope and what they carry: a
     * stored position is only reused while this is unchanged, since entries newly in or out of scope
     * would otherwise never be reported.
     */
    String fingerprint() {
        StringBuilder s = new StringBuilder();
        s.append(filter).append('\n').append(String.join(",", attributes)).append('\n');
        scope.includeOus().forEach(d -> s.append("+").append(d.toNormalizedString()).append('\n'));
        scope.excludeOus().forEach(d -> s.append("-").append(d.toNormalizedString()).append('\n'));
        s.append(profile.idAttribute()).append('\n').append(profile.memberAttribute());
        byte[] d = Baseline.sha256(s.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 12);
    }
}
