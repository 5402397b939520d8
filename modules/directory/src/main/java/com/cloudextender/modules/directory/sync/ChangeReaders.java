package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleState;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RootDSE;

/**
 * Chooses how to find a profile's changes from what its server announces in the rootDSE: Active
 * Directory's uSNChanged on an AD domain controller, RFC 4533 content sync where the sync request
 * control is supported (and the id is entryUUID, which the protocol reports deletions by), and the
 * paged full read everywhere else.
 */
final class ChangeReaders {
    private ChangeReaders() {
    }

    static ChangeReader choose(LDAPConnection connection, SyncQuery query, ModuleState state, DeletedObjects deleted)
            throws LDAPException {
        String profile = query.profile().name();
        RootDSE root = connection.getRootDSE();
        if (root != null && root.hasAttributeValue("supportedCapabilities", UsnReader.AD_CAPABILITY_OID)
                && query.profile().idAttribute().equalsIgnoreCase("objectGUID")) {
            return new UsnReader(query, state, profile, deleted);
        }
        if (root != null && root.supportsControl(ContentSyncReader.CONTROL_OID)
                && query.profile().idAttribute().equalsIgnoreCase("entryUUID")) {
            return new ContentSyncReader(query, state, profile);
        }
        return new PagedScanReader(query);
    }
}
