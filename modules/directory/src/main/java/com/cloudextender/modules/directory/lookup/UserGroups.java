package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The groups a user is a direct member of: the entry's memberOf when the directory keeps it (Active
 * Directory, OpenLDAP with the memberof overlay), otherwise a search for groups listing the user's DN.
 */
public final class UserGroups {
    private UserGroups() {
    }

    /** The DNs of the groups {@code user} belongs to directly. */
    public static List<String> of(ProfileConnections c, SearchResultEntry user) throws LDAPException {
        String[] memberOf = user.getAttributeValues("memberOf");
        if (memberOf != null) {
            return Arrays.asList(memberOf);
        }
        Filter f = Filter.createANDFilter(c.profile().groupFilter(),
                Filter.createEqualityFilter(c.profile().memberAttribute(), user.getDN()));
        SearchResult r = c.pool().search(c.profile().baseDn().toString(), SearchScope.SUB, f, "1.1");
        List<String> dns = new ArrayList<>();
        r.getSearchEntries().forEach(e -> dns.add(e.getDN()));
        return dns;
    }
}
