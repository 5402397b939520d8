package com.cloudextender.modules.directory.lookup;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNs of the entries a subtree search matches, read page by page on one pooled connection (a
 * paged-results cookie is only valid on the connection that received it), at most {@code limit}.
 */
final class PagedDns {
    static final int PAGE_SIZE = 500;

    private PagedDns() {
    }

    /** Up to {@code limit} DNs matching {@code filter} under {@code base}; one more tells the caller it was cut. */
    static List<String> search(LDAPConnectionPool pool, String base, Filter filter, int limit) throws LDAPException {
        List<String> dns = new ArrayList<>();
        LDAPConnection conn = pool.getConnection();
        boolean healthy = false;
        try {
            ASN1OctetString cookie = null;
            do {
                SearchRequest r = new SearchRequest(base, SearchScope.SUB, filter, "1.1");
                r.addControl(new SimplePagedResultsControl(PAGE_SIZE, cookie));
                SearchResult page = conn.search(r);
                for (SearchResultEntry e : page.getSearchEntries()) {
                    dns.add(e.getDN());
                }
                SimplePagedResultsControl ctl = SimplePagedResultsControl.get(page);
                cookie = ctl != null && ctl.moreResultsToReturn() && dns.size() <= limit ? ctl.getCookie() : null;
            } while (cookie != null);
            healthy = true;
        } finally {
            if (healthy) {
                pool.releaseConnection(conn);
            } else {
                pool.releaseDefunctConnection(conn);
            }
        }
        return dns.size() > limit + 1 ? dns.subList(0, limit + 1) : dns;
    }
}
