package com.cloudextender.devcloud.xmpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The bound sessions, one per account: a new session of an account replaces the old one (the old one
 * is closed with a {@code conflict} stream error by the caller). One session per account is all the
 * cloud needs, since an extender connects as one resource, and it makes "is this extender connected"
 * a single lookup.
 */
final class SessionRegistry {
    private final ConcurrentMap<String, ClientSession> byLocalpart = new ConcurrentHashMap<>();

    /** Registers {@code session}; returns the session it replaces, if any. */
    ClientSession bind(ClientSession session) {
        return byLocalpart.put(session.localpart(), session);
    }

    /** Unregisters {@code session} if it is still the current one of its account. */
    void remove(ClientSession session) {
        byLocalpart.remove(session.localpart(), session);
    }

    Optional<ClientSession> find(String localpart) {
        return Optional.ofNullable(byLocalpart.get(localpart));
    }

    List<ClientSession> all() {
        return new ArrayList<>(byLocalpart.values());
    }
}
