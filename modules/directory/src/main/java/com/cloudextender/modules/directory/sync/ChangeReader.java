package com.cloudextender.modules.directory.sync;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;

/**
 * One way of finding what changed in a directory since the last sync: a full paged read compared with
 * the baseline, RFC 4533 content sync, or Active Directory's uSNChanged. Readers keep their position
 * under {@link #statePrefix(String)} in the module state and never write it themselves.
 */
interface ChangeReader {
    /**
     * Reports entries, presences and deletions to {@code sink}.
     *
     * @param connection a connection that is used for the whole read (watermarks are per server)
     * @param full       true to read everything regardless of any stored position
     */
    ReadResult read(LDAPConnection connection, ChangeSink sink, boolean full)
            throws LDAPException, IOException, InterruptedException;

    /** The prefix of the state keys that hold a reader's position for {@code profile}. */
    static String statePrefix(String profile) {
        return "position/" + profile + "/";
    }
}
