package com.cloudextender.devcloud.routing;

import java.util.Map;
import java.util.Optional;

/**
 * The actions that run singleton work under a customer-wide lease (docs/PROTOCOL.md section 11): a command for a
 * customer with one of them goes to the extender that holds the lease, since any other answers that it does not
 * hold it. The cloud knows them by name, as it knows the modules' actions.
 */
public final class SingletonActions {
    private static final Map<String, String> LEASES = Map.of(
            "directory/sync", "directory.sync",
            "directory/resync", "directory.sync",
            "directory/allowDeletes", "directory.sync",
            "exchange/sync", "exchange.devices",
            "exchange/resync", "exchange.devices",
            "bes/sync", "bes.devices",
            "bes/resync", "bes.devices",
            "traveler/sync", "traveler.devices",
            "traveler/resync", "traveler.devices");

    private SingletonActions() {
    }

    /** The lease {@code module}/{@code action} runs under, if it is singleton work. */
    public static Optional<String> lease(String module, String action) {
        return Optional.ofNullable(LEASES.get(module + "/" + action));
    }
}
