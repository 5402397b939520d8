package com.cloudextender.modules.directory.sync;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.io.IOException;

/** A subtree search read one page at a time on one connection (paged cookies belong to a connection). */
final class PagedSearch {
    private PagedSearch() {
    }

    /** Receives the entries of a page. */
    @FunctionalInterface
    interface EntryVisitor {
        void visit(SearchResultEntry entry) throws LDAPException, IOException, InterruptedException;
    }

    static void run(LDAPConnection conn, DN base, Filter filter, String[] attributes, int pageSize,
                    EntryVisitor visitor, Control... controls) throws LDAPException, IOException, InterruptedException {
        ASN1OctetString cookie = null;
        do {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("directory sync cancelled");
            }
            SearchRequest r = new SearchRequest(base.toString(), SearchScope.SUB, filter, attributes);
            r.addControls(controls);
            r.addControl(new SimplePagedResultsControl(pageSize, cookie, true));
            SearchResult page = conn.search(r);
            for (SearchResultEntry e : page.getSearchEntries()) {
                visitor.visit(e);
            }
            SimplePagedResultsControl ctl = SimplePagedResultsControl.get(page);
            cookie = ctl != null && ctl.moreResultsToReturn() ? ctl.getCookie() : null;
        } while (cookie != null);
    }
}
