package com.cloudextender.modules.directory.sync;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;

/** Receives what a {@link ChangeReader} learns from the directory, in the order it arrives. */
interface ChangeSink {
    /** An entry with all of the sync's attributes: new, changed, or (in a complete read) any entry. */
    void entry(SearchResultEntry entry) throws LDAPException, IOException, InterruptedException;

    /** The entry with stable id {@code id} still exists and did not change. */
    void present(String id) throws LDAPException, IOException, InterruptedException;

    /** The entry with stable id {@code id} was deleted (ids never synchronised are ignored). */
    void deleted(String id) throws LDAPException, IOException, InterruptedException;
}
