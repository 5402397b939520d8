package com.cloudextender.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultListener;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;

/**
 * The directory benchmark's baselines: the same LDAP work as the directory module, done directly with
 * UnboundID in the benchmark's JVM, without the dev cloud, the channel or the module. Thread-safe.
 */
final class DirectLdap implements AutoCloseable {
    /**
     * What the module's sync reads for an openLdap profile with the default attributes: OUs, containers,
     * inetOrgPerson users and groupOfNames groups, with the user attributes, the id, memberOf,
     * objectClass and member (as the module's SyncQuery builds them).
     */
    static final Filter SYNC_FILTER = Filter.createORFilter(Filter.createEqualityFilter("objectClass", "organizationalUnit"),
            Filter.createEqualityFilter("objectClass", "container"), Filter.createEqualityFilter("objectClass", "inetOrgPerson"),
            Filter.createEqualityFilter("objectClass", "groupOfNames"));
    static final String[] SYNC_ATTRIBUTES = {"uid", "mail", "cn", "displayName", "givenName", "sn",
        "pwdAccountLockedTime", "entryUUID", "memberOf", "objectClass", "member"};
    /** What the module reads to find a user before the bind (UserFinder): its attributes, id and memberOf. */
    private static final String[] USER_ATTRIBUTES = {"uid", "mail", "cn", "displayName", "givenName", "sn",
        "pwdAccountLockedTime", "entryUUID", "memberOf"};

    private final String host;
    private final int port;
    private final String base;
    private final LDAPConnectionPool pool;

    /**
     * @param poolSize service-account connections for the searches (one per concurrent caller, so the
     *                 baseline never waits for a connection)
     */
    DirectLdap(String host, int port, String base, String bindDn, String bindPassword, int poolSize)
            throws LDAPException {
        this.host = host;
        this.port = port;
        this.base = base;
        LDAPConnection first = new LDAPConnection(host, port);
        first.bind(new SimpleBindRequest(bindDn, bindPassword));
        this.pool = new LDAPConnectionPool(first, poolSize, poolSize);
    }

    /** Reads every entry the sync reads, {@code pageSize} at a time on one connection; returns the count. */
    long pagedRead(int pageSize) throws LDAPException {
        LDAPConnection c = pool.getConnection();
        try {
            long entries = 0;
            ASN1OctetString cookie = null;
            do {
                SearchRequest r = new SearchRequest(base, SearchScope.SUB, SYNC_FILTER, SYNC_ATTRIBUTES);
                r.addControl(new SimplePagedResultsControl(pageSize, cookie, true));
                SearchResult page = c.search(r);
                entries += page.getEntryCount();
                SimplePagedResultsControl ctl = SimplePagedResultsControl.get(page);
                cookie = ctl != null && ctl.moreResultsToReturn() ? ctl.getCookie() : null;
            } while (cookie != null);
            pool.releaseConnection(c);
            return entries;
        } catch (LDAPException e) {
            pool.releaseDefunctConnection(c);
            throw e;
        }
    }

    /**
     * Reads every entry the sync reads with one RFC 4533 content sync refresh without a cookie, as the
     * module's reader does on slapd, counting them in a listener on the connection's reader thread;
     * returns the count. Shows what the directory's own protocol costs beside a paged read.
     */
    long contentSyncRead() throws LDAPException {
        LDAPConnection c = pool.getConnection();
        try {
            AtomicLong entries = new AtomicLong();
            SearchResultListener counter = new SearchResultListener() {
                private static final long serialVersionUID = 1L;

                @Override
                public void searchEntryReturned(SearchResultEntry entry) {
                    entries.incrementAndGet();
                }

                @Override
                public void searchReferenceReturned(SearchResultReference reference) {
                    // none in the benchmark's directory
                }
            };
            SearchRequest r = new SearchRequest(counter, base, SearchScope.SUB, SYNC_FILTER, SYNC_ATTRIBUTES);
            r.addControl(new ContentSyncRequestControl(true, ContentSyncRequestMode.REFRESH_ONLY, null, false));
            r.setResponseTimeoutMillis(300_000);
            c.search(r);
            pool.releaseConnection(c);
            return entries.get();
        } catch (LDAPException e) {
            pool.releaseDefunctConnection(c);
            throw e;
        }
    }

    /** Reads the entries of the users {@code uids} in one search; returns how many came back. */
    int readUsers(List<String> uids) throws LDAPException {
        Filter any = Filter.createORFilter(uids.stream().map(u -> Filter.createEqualityFilter("uid", u)).toList());
        return pool.search(base, SearchScope.SUB, any, SYNC_ATTRIBUTES).getEntryCount();
    }

    /**
     * One authentication as the module does it: find the user with the service account (the module's
     * filter: user class and any login attribute equal to the name), then a simple bind as the DN found,
     * on a new connection that is closed afterwards.
     *
     * @return true when the bind succeeded
     */
    boolean searchThenBind(String login, String password) throws LDAPException {
        Filter f = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "inetOrgPerson"),
                Filter.createORFilter(Filter.createEqualityFilter("uid", login), Filter.createEqualityFilter("mail", login)));
        SearchRequest r = new SearchRequest(base, SearchScope.SUB, f, USER_ATTRIBUTES);
        r.setSizeLimit(2);
        SearchResult found = pool.search(r);
        if (found.getEntryCount() != 1) {
            return false;
        }
        try (LDAPConnection c = new LDAPConnection(host, port)) {
            c.bind(new SimpleBindRequest(found.getSearchEntries().get(0).getDN(), password));
            return true;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
