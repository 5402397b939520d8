package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleState;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.lookup.StableIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active Directory change tracking by uSNChanged (MS-ADTS 3.1.1.1.9): every write on a domain
 * controller gives the object that DC's next update sequence number. The reader keeps, per profile,
 * the DC's invocationId and the highestCommittedUSN read from the rootDSE before the last read; the
 * next read asks that same DC for {@code uSNChanged >= watermark + 1} and for the tombstones
 * ({@code isDeleted=TRUE}, show-deleted control 1.2.840.113556.1.4.417) changed since, whose
 * objectGUIDs are the deletions.
 *
 * <p>USNs are local to one DC, so another DC (failover), a DC restored from backup (new invocationId)
 * or a changed sync scope means a complete read, after which the new DC's watermark is kept. Before
 * looking for tombstones the reader checks that the service account can read the Deleted Objects
 * container ({@link DeletedObjects}): an ordinary domain user cannot, and its tombstone search finds
 * nothing without an error. Then the read says that it could not see deletions, and the sync sweeps
 * the ids in scope ({@link DeletionSweep}). A tombstone search refused outright means a complete read.
 *
 * <p>Chosen over DirSync (1.2.840.113556.1.4.841) because it needs no "Replicating Directory Changes"
 * right for the changes, can be searched under any OU, and returns whole entries (DirSync returns only
 * the changed attributes, so every changed entry would have to be read again to build its record).
 */
final class UsnReader implements ChangeReader {
    static final String METHOD = "usnChanged";
    /** The rootDSE supportedCapabilities value of Active Directory (and Samba AD). */
    static final String AD_CAPABILITY_OID = "1.2.840.113556.1.4.800";
    static final String SHOW_DELETED_OID = "1.2.840.113556.1.4.417";
    private static final Logger LOG = LoggerFactory.getLogger(UsnReader.class);

    private final SyncQuery query;
    private final ModuleState state;
    private final String stateKey;
    private final DeletedObjects deletedObjects;

    UsnReader(SyncQuery query, ModuleState state, String profile, DeletedObjects deletedObjects) {
        this.query = query;
        this.state = state;
        this.deletedObjects = deletedObjects;
        this.stateKey = ChangeReader.statePrefix(profile) + METHOD;
    }

    /** A DC's position: which DC (invocationId), up to which USN, for which scope. */
    record Watermark(String invocationId, long usn, String scope) {
    }

    @Override
    public ReadResult read(LDAPConnection connection, ChangeSink sink, boolean full)
            throws LDAPException, IOException, InterruptedException {
        String profile = query.profile().name();
        RootDSE root = connection.getRootDSE();
        if (root == null) {
            throw new LDAPException(ResultCode.NO_SUCH_OBJECT, "profile " + profile + ": the server's rootDSE is unreadable");
        }
        // Read before the changes, so that a write during the read is read again next time, never lost.
        Watermark now = new Watermark(invocationId(connection, root), longValue(root, "highestCommittedUSN"),
                query.fingerprint());
        Optional<Watermark> last = full ? Optional.empty() : stored();
        Map<String, byte[]> position = Map.of(stateKey, encode(now));
        if (last.isEmpty() || !last.get().invocationId().equals(now.invocationId())
                || !last.get().scope().equals(now.scope()) || last.get().usn() > now.usn()) {
            if (last.isPresent()) {
                LOG.info("uSNChanged sync of profile {}: another domain controller, a restored one or a changed scope; "
                        + "reading everything", profile);
            }
            new PagedScanReader(query).scan(connection, sink);
            return new ReadResult(METHOD, true, position);
        }
        Filter changed = Filter.createGreaterOrEqualFilter("uSNChanged", Long.toString(last.get().usn() + 1));
        PagedSearch.run(connection, query.searchBase(), Filter.createANDFilter(query.filter(), changed),
                query.attributes(), query.pageSize(), sink::entry);
        DN domain = new DN(root.getAttributeValue("defaultNamingContext"));
        DeletedObjects.Access access = DeletedObjects.probe(connection, domain.toString());
        deletedObjects.record(profile, query.profile().bindDn(), access);
        if (!access.visible()) {
            return new ReadResult(METHOD, false, position, false);
        }
        try {
            PagedSearch.run(connection, domain,
                    Filter.createANDFilter(Filter.createEqualityFilter("isDeleted", "TRUE"), changed),
                    new String[] {query.profile().idAttribute()}, query.pageSize(),
                    tombstone -> {
                        Optional<String> id = StableIds.of(tombstone, query.profile());
                        if (id.isPresent()) {
                            sink.deleted(id.get());
                        }
                    },
                    new Control(SHOW_DELETED_OID, true));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.INSUFFICIENT_ACCESS_RIGHTS
                    && e.getResultCode() != ResultCode.UNAVAILABLE_CRITICAL_EXTENSION) {
                throw e;
            }
            LOG.warn("uSNChanged sync of profile {}: the service account cannot read deleted objects ({}); reading "
                    + "everything to find deletions. Grant it List Contents on CN=Deleted Objects", profile,
                    e.getResultCode());
            new PagedScanReader(query).scan(connection, sink);
            return new ReadResult(METHOD, true, position);
        }
        return new ReadResult(METHOD, false, position);
    }

    /** The invocationId of the DC behind {@code connection}, from its NTDS Settings object. */
    private String invocationId(LDAPConnection connection, RootDSE root) throws LDAPException {
        String dsa = root.getAttributeValue("dsServiceName");
        SearchResultEntry e = dsa == null ? null : connection.getEntry(dsa, "invocationId");
        byte[] raw = e == null ? null : e.getAttributeValueBytes("invocationId");
        if (raw == null) {
            throw new LDAPException(ResultCode.NO_SUCH_ATTRIBUTE, "profile " + query.profile().name()
                    + ": the domain controller's invocationId is unreadable (dsServiceName " + dsa + ")");
        }
        return StableIds.formatBinary(raw);
    }

    private static long longValue(RootDSE root, String name) throws LDAPException {
        String v = root.getAttributeValue(name);
        try {
            return Long.parseLong(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            throw new LDAPException(ResultCode.NO_SUCH_ATTRIBUTE, "the rootDSE has no numeric " + name
                    + " (" + v + "); is this an Active Directory domain controller?");
        }
    }

    private Optional<Watermark> stored() {
        return state.get(stateKey).flatMap(bytes -> {
            try {
                JsonNode n = Json.MAPPER.readTree(bytes);
                return Optional.of(new Watermark(n.path("invocationId").asText(), n.path("usn").asLong(),
                        n.path("scope").asText()));
            } catch (IOException e) {
                LOG.warn("uSNChanged sync of profile {}: the stored watermark is unreadable; reading everything",
                        query.profile().name());
                return Optional.empty();
            }
        });
    }

    private static byte[] encode(Watermark w) {
        var n = Json.object();
        n.put("invocationId", w.invocationId());
        n.put("usn", w.usn());
        n.put("scope", w.scope());
        return Json.text(n).getBytes(StandardCharsets.UTF_8);
    }
}
