package com.cloudextender.modules.directory.sync;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a profile's service account can see Active Directory's deleted objects (tombstones), found
 * by reading the Deleted Objects container itself: an ordinary domain user gets no tombstones from a
 * show-deleted search and no error either, so an empty answer there proves nothing. What was found is
 * logged once per profile (a WARN with the grant that fixes it, or an INFO when access appears).
 * Thread-safe.
 */
final class DeletedObjects {
    private static final Logger LOG = LoggerFactory.getLogger(DeletedObjects.class);

    /**
     * What the probe found.
     *
     * @param visible   true when the container and its isDeleted property could be read
     * @param container the container's DN
     * @param reason    why it is not visible (empty when it is)
     */
    record Access(boolean visible, String container, String reason) {
    }

    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    private final String sweepSchedule;

    /** @param sweepSchedule when sweeps run, for the warning */
    DeletedObjects(String sweepSchedule) {
        this.sweepSchedule = sweepSchedule;
    }

    /**
     * Reads {@code CN=Deleted Objects,<domain>} with the show-deleted control, asking for its isDeleted
     * property (set on the container in every domain): List Contents and Read Property on it are what a
     * search for tombstones needs.
     */
    static Access probe(LDAPInterface connection, String domainDn) throws LDAPException {
        String container = "CN=Deleted Objects," + domainDn;
        SearchRequest r = new SearchRequest(container, SearchScope.BASE, Filter.createPresenceFilter("objectClass"),
                "isDeleted");
        r.addControl(new Control(UsnReader.SHOW_DELETED_OID, true));
        try {
            SearchResult found = connection.search(r);
            if (found.getEntryCount() == 1 && found.getSearchEntries().get(0).hasAttribute("isDeleted")) {
                return new Access(true, container, "");
            }
            return new Access(false, container, found.getEntryCount() == 0 ? "the container is not visible to it"
                    : "its properties cannot be read");
        } catch (LDAPException e) {
            return switch (e.getResultCode().intValue()) {
                case ResultCode.NO_SUCH_OBJECT_INT_VALUE -> new Access(false, container, "the container is not visible to it");
                case ResultCode.INSUFFICIENT_ACCESS_RIGHTS_INT_VALUE -> new Access(false, container, "access is denied");
                case ResultCode.UNAVAILABLE_CRITICAL_EXTENSION_INT_VALUE -> new Access(false, container,
                        "the server refuses the show-deleted control");
                default -> throw e;
            };
        }
    }

    /** What to grant, as a domain administrator would type it. */
    static String grant(String container, String bindDn) {
        String account = bindDn.contains("@") || bindDn.contains("\\") ? bindDn : "DOMAIN\\<account of " + bindDn + ">";
        return "grant the service account List Contents and Read Property on " + container + " (as a domain "
                + "administrator: dsacls \"" + container + "\" /takeownership, then dsacls \"" + container + "\" /G \""
                + account + ":LCRP\")";
    }

    /** Records what a probe of {@code profile} found; logs the first finding and any change. */
    void record(String profile, String bindDn, Access access) {
        Boolean before = known.put(profile, access.visible());
        if (before != null && before == access.visible()) {
            return;
        }
        if (access.visible()) {
            if (before != null) {
                LOG.info("Directory sync of profile {}: the service account can now read {}; deletions are read from "
                        + "tombstones again", profile, access.container());
            }
            return;
        }
        LOG.warn("Directory sync of profile {}: the service account {} cannot read deleted objects ({}: {}), so a "
                + "delta cannot see deletions. Until it can, deletions are found by reading the ids in scope and "
                + "comparing them with what was sent ({}). To fix: {}", profile, bindDn, access.container(),
                access.reason(), sweepSchedule, grant(access.container(), bindDn));
    }

    /** The last finding for {@code profile}: true visible, false not, null when never probed. */
    Boolean visible(String profile) {
        return known.get(profile);
    }
}
