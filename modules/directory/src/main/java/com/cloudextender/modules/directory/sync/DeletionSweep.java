package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleState;
import com.cloudextender.modules.directory.lookup.StableIds;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Finds the deletions a delta cannot see (a service account that may not read tombstones): reads only
 * the stable ids of the entries in scope, page by page, so that a baseline entry whose id is missing
 * was deleted or left the scope. It costs one id per entry, not whole entries, and runs when the last
 * sweep or complete read is older than the configured age, or when the sweep schedule asks for it. The
 * time of the last one is kept with the reader's position, under {@code position/<profile>/sweep}.
 */
final class DeletionSweep {
    private DeletionSweep() {
    }

    static String stateKey(String profile) {
        return ChangeReader.statePrefix(profile) + "sweep";
    }

    /** When {@code profile}'s deletions were last checked by a sweep or a complete read. */
    static Optional<Instant> last(ModuleState state, String profile) {
        return state.get(stateKey(profile)).flatMap(b -> {
            try {
                return Optional.of(Instant.parse(new String(b, StandardCharsets.US_ASCII)));
            } catch (DateTimeParseException e) {
                return Optional.empty(); // unreadable: sweep now
            }
        });
    }

    /** True when the last check of {@code profile}'s deletions is older than {@code maxAge} (or unknown). */
    static boolean due(ModuleState state, String profile, Duration maxAge, Instant now) {
        return last(state, profile).map(t -> !t.plus(maxAge).isAfter(now)).orElse(true);
    }

    static byte[] stamp(Instant when) {
        return when.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The stable ids of every entry in {@code query}'s scope. */
    static IdSet ids(LDAPConnection connection, SyncQuery query) throws LDAPException, IOException, InterruptedException {
        IdSet ids = new IdSet();
        String[] idOnly = {query.profile().idAttribute()};
        for (DN base : query.scope().includeOus()) {
            PagedSearch.run(connection, base, query.filter(), idOnly, query.pageSize(), e -> {
                if (query.inScope(e.getParsedDN())) {
                    StableIds.of(e, query.profile()).ifPresent(ids::add);
                }
            });
        }
        return ids;
    }
}
