package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleState;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.IntermediateResponse;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultListener;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncDoneControl;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoIntermediateResponse;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoType;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.controls.ContentSyncState;
import com.unboundid.ldap.sdk.controls.ContentSyncStateControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 4533 content synchronisation in refreshOnly mode (OpenLDAP's syncprov overlay). The first read
 * sends no cookie and receives every entry; later reads send the stored cookie and receive only the
 * entries changed since, plus the deletions: as a syncIdSet of entryUUIDs or deleted-state entries
 * (the delete phase, when the server's session log covers the cookie), or as a present phase that
 * lists every unchanged entry (the reader then reports a complete read, so absence means deletion).
 * One search from {@link SyncQuery#searchBase()} keeps one cookie per profile; entries outside the
 * included subtrees are left to the sync's scope check. Requires entryUUID as the profile's id.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4533">RFC 4533</a>
 */
final class ContentSyncReader implements ChangeReader {
    static final String METHOD = "contentSync";
    /** The rootDSE supportedControl value of the sync request control. */
    static final String CONTROL_OID = ContentSyncRequestControl.SYNC_REQUEST_OID;
    private static final Logger LOG = LoggerFactory.getLogger(ContentSyncReader.class);
    /** Between two messages of one refresh; a large first refresh streams for longer than this in all. */
    private static final long RESPONSE_TIMEOUT_MILLIS = 300_000;

    static {
        // The server sends a sync state control with every entry. UnboundID decodes a control registered
        // by class name through reflection for each entry (Class.forName, a constructor look-up,
        // setAccessible). Left unregistered, the entry keeps the control's raw value, which get() below
        // decodes: no reflection, and the JIT compiles the decoding apart from UnboundID's entry reader,
        // which is the largest method it compiles during a first sync.
        Control.deregisterDecodeableControl(ContentSyncStateControl.SYNC_STATE_OID);
    }

    private final SyncQuery query;
    private final ModuleState state;
    private final String stateKey;

    ContentSyncReader(SyncQuery query, ModuleState state, String profile) {
        this.query = query;
        this.state = state;
        this.stateKey = ChangeReader.statePrefix(profile) + METHOD;
    }

    @Override
    public ReadResult read(LDAPConnection connection, ChangeSink sink, boolean full)
            throws LDAPException, IOException, InterruptedException {
        Optional<ASN1OctetString> cookie = full ? Optional.empty() : storedCookie();
        Refresh refresh = new Refresh(sink);
        try {
            refresh.run(connection, cookie.orElse(null));
        } catch (LDAPException e) {
            if (cookie.isEmpty() || e.getResultCode() != ResultCode.E_SYNC_REFRESH_REQUIRED) {
                throw e;
            }
            // The server cannot resume from the cookie: read everything (entries already reported are
            // skipped by the sync as duplicates).
            LOG.info("Content sync of profile {}: the server asks for a full refresh", query.profile().name());
            cookie = Optional.empty();
            refresh = new Refresh(sink);
            refresh.run(connection, null);
        }
        // Without a cookie every entry is sent; with one, only a present phase lists the unchanged ones.
        boolean complete = cookie.isEmpty() || refresh.sawPresent;
        return new ReadResult(METHOD, complete, refresh.cookie == null ? Map.of() : Map.of(stateKey, encode(refresh.cookie)));
    }

    private Optional<ASN1OctetString> storedCookie() {
        return state.get(stateKey).flatMap(bytes -> {
            try {
                JsonNode n = Json.MAPPER.readTree(bytes);
                if (!query.fingerprint().equals(n.path("scope").asText())) {
                    LOG.info("Content sync of profile {}: the sync scope changed; reading everything", query.profile().name());
                    return Optional.empty();
                }
                return Optional.of(new ASN1OctetString(Base64.getDecoder().decode(n.path("cookie").asText())));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Content sync of profile {}: the stored cookie is unreadable; reading everything",
                        query.profile().name());
                return Optional.empty();
            }
        });
    }

    private byte[] encode(ASN1OctetString cookie) {
        var n = Json.object();
        n.put("scope", query.fingerprint());
        n.put("cookie", Base64.getEncoder().encodeToString(cookie.getValue()));
        return Json.text(n).getBytes(StandardCharsets.UTF_8);
    }

    /** One refreshOnly search; its listener runs on the connection's reader thread. */
    private final class Refresh implements SearchResultListener {
        private static final long serialVersionUID = 1L;
        private final transient ChangeSink sink;
        private transient ASN1OctetString cookie;
        private boolean sawPresent;
        private transient Exception failure;

        Refresh(ChangeSink sink) {
            this.sink = sink;
        }

        void run(LDAPConnection connection, ASN1OctetString from) throws LDAPException, IOException, InterruptedException {
            SearchRequest r = new SearchRequest(this, query.searchBase().toString(), SearchScope.SUB, query.filter(),
                    query.attributes());
            r.addControl(new ContentSyncRequestControl(true, ContentSyncRequestMode.REFRESH_ONLY, from, false));
            r.setIntermediateResponseListener(this::info);
            r.setResponseTimeoutMillis(RESPONSE_TIMEOUT_MILLIS);
            SearchResult done = connection.search(r);
            rethrow();
            ContentSyncDoneControl ctl = ContentSyncDoneControl.get(done);
            if (ctl != null && ctl.getCookie() != null) {
                cookie = ctl.getCookie();
            }
        }

        @Override
        public void searchEntryReturned(SearchResultEntry entry) {
            if (failure != null) {
                return;
            }
            try {
                ContentSyncStateControl s = ContentSyncStateControl.get(entry);
                if (s == null) {
                    throw new LDAPException(ResultCode.DECODING_ERROR, "the server sent " + entry.getDN()
                            + " without a sync state control; it does not implement RFC 4533 correctly");
                }
                if (s.getCookie() != null) {
                    cookie = s.getCookie();
                }
                switch (s.getState()) {
                    case PRESENT -> {
                        sawPresent = true;
                        sink.present(id(s.getEntryUUID()));
                    }
                    case DELETE -> sink.deleted(id(s.getEntryUUID()));
                    default -> sink.entry(entry);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        @Override
        public void searchReferenceReturned(SearchResultReference reference) {
            // Referrals to other servers are outside this profile's directory.
        }

        private void info(IntermediateResponse response) {
            if (failure != null) {
                return;
            }
            try {
                ContentSyncInfoIntermediateResponse info = ContentSyncInfoIntermediateResponse.decode(response);
                if (info.getCookie() != null) {
                    cookie = info.getCookie();
                }
                if (info.getType() == ContentSyncInfoType.SYNC_ID_SET) {
                    for (UUID u : info.getEntryUUIDs()) {
                        if (info.refreshDeletes()) {
                            sink.deleted(id(u));
                        } else {
                            sawPresent = true;
                            sink.present(id(u));
                        }
                    }
                } else if (info.getType() == ContentSyncInfoType.REFRESH_PRESENT) {
                    sawPresent = true;
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        private void rethrow() throws LDAPException, IOException, InterruptedException {
            if (failure instanceof LDAPException e) {
                throw e;
            } else if (failure instanceof IOException e) {
                throw e;
            } else if (failure instanceof InterruptedException e) {
                throw e;
            } else if (failure instanceof RuntimeException e) {
                throw e;
            }
        }
    }

    /** entryUUID as OpenLDAP prints it. */
    private static String id(UUID uuid) {
        return uuid.toString();
    }
}
