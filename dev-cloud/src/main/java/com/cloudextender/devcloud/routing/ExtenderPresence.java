package com.cloudextender.devcloud.routing;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the cloud knows about each extender's connection and health: which session is current, since
 * when, its last health report, and whether it reported {@code healthy} on its current session. Only
 * extenders that are connected and healthy on their current session receive customer-addressed
 * commands (docs/PROTOCOL.md section 5).
 *
 * <p>Sessions are identified by an opaque token, so that the end of an old session that was already
 * replaced by a new one does not mark the extender as disconnected. Thread-safe.
 */
public final class ExtenderPresence {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, State> states = new HashMap<>();

    private static final class State {
        String customer;
        Object session;
        Instant connectedSince;
        String lastHealth;
        boolean healthy;
    }

    /** {@code extenderId} of {@code customer} bound a new session {@code session}. */
    public synchronized void connected(String extenderId, String customer, Object session, Instant since) {
        State s = states.computeIfAbsent(extenderId, k -> new State());
        s.customer = customer;
        s.session = session;
        s.connectedSince = since;
        s.healthy = false; // a new session is eligible only after its first health report
    }

    /** Session {@code session} ended; returns true if it was the extender's current one (it is now offline). */
    public synchronized boolean disconnected(String extenderId, Object session) {
        State s = states.get(extenderId);
        if (s == null || s.session != session) {
            return false;
        }
        s.session = null;
        s.connectedSince = null;
        s.healthy = false;
        return true;
    }

    /**
     * Stores a health report from the extender's current session; returns whether it says
     * {@code "state":"healthy"}. A report that is not JSON counts as not healthy.
     */
    public synchronized boolean health(String extenderId, String reportJson) {
        State s = states.computeIfAbsent(extenderId, k -> new State());
        s.lastHealth = reportJson;
        s.healthy = s.session != null && "healthy".equals(stateOf(reportJson));
        return s.healthy;
    }

    public synchronized boolean isConnected(String extenderId) {
        State s = states.get(extenderId);
        return s != null && s.session != null;
    }

    public synchronized Optional<Instant> connectedSince(String extenderId) {
        State s = states.get(extenderId);
        return Optional.ofNullable(s == null ? null : s.connectedSince);
    }

    public synchronized Optional<String> lastHealth(String extenderId) {
        State s = states.get(extenderId);
        return Optional.ofNullable(s == null ? null : s.lastHealth);
    }

    /** The customer's extenders that are connected and healthy, sorted by id (for a stable round robin). */
    public synchronized List<String> eligible(String customer) {
        List<String> ids = new ArrayList<>();
        states.forEach((id, s) -> {
            if (s.healthy && s.session != null && customer.equals(s.customer)) {
                ids.add(id);
            }
        });
        ids.sort(null);
        return ids;
    }

    public synchronized Optional<String> customerOf(String extenderId) {
        State s = states.get(extenderId);
        return Optional.ofNullable(s == null ? null : s.customer);
    }

    private static String stateOf(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node == null ? null : node.path("state").asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
