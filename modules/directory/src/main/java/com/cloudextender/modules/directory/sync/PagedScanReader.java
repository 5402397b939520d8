package com.cloudextender.modules.directory.sync;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.util.Map;

/**
 * The change detection that works on every server: reads every entry of the included subtrees page
 * by page; the sync compares each with the baseline. Its cost grows with the directory, not with the
 * changes, so it is the fallback when the server offers nothing better.
 */
final class PagedScanReader implements ChangeReader {
    static final String METHOD = "pagedScan";

    private final SyncQuery query;

    PagedScanReader(SyncQuery query) {
        this.query = query;
    }

    @Override
    public ReadResult read(LDAPConnection connection, ChangeSink sink, boolean full)
            throws LDAPException, IOException, InterruptedException {
        scan(connection, sink);
        return new ReadResult(METHOD, true, Map.of());
    }

    /** Reports every entry of the included subtrees to {@code sink}. */
    void scan(LDAPConnection connection, ChangeSink sink) throws LDAPException, IOException, InterruptedException {
        for (DN base : query.scope().includeOus()) {
            PagedSearch.run(connection, base, query.filter(), query.attributes(), query.pageSize(), sink::entry);
        }
    }
}
