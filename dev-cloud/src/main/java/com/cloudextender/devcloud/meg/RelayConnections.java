package com.cloudextender.devcloud.meg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;

/**
 * The tunnel connections of each customer's extenders that passed the hello, and the choice of one
 * for a new stream: the one a user connection used last while it is up (target connection affinity at
 * the extender), else round robin over the active ones, skipping any given to avoid (a connection a
 * retried request already failed on). Thread-safe.
 */
public final class RelayConnections {
    /** One authenticated tunnel connection. */
    public record Connection(String customer, String connector, Channel channel) {
    }

    private final Map<String, List<Connection>> byCustomer = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    void add(Connection c) {
        byCustomer.computeIfAbsent(c.customer(), k -> new CopyOnWriteArrayList<>()).add(c);
        c.channel().closeFuture().addListener(f -> byCustomer.getOrDefault(c.customer(), List.of()).remove(c));
    }

    /** A connection of {@code customer} other than {@code avoid} (which may be null), if one is active. */
    public Optional<Connection> pick(String customer, Channel avoid) {
        return pick(customer, avoid, null);
    }

    /**
     * Like {@link #pick(String, Channel)}, but {@code prefer} (which may be null) when it is one of
     * {@code customer}'s active connections and not {@code avoid}.
     */
    public Optional<Connection> pick(String customer, Channel avoid, Channel prefer) {
        List<Connection> all = new ArrayList<>(byCustomer.getOrDefault(customer, List.of()));
        all.removeIf(c -> !c.channel().isActive() || c.channel() == avoid);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        for (Connection c : all) {
            if (c.channel() == prefer) {
                return Optional.of(c);
            }
        }
        return Optional.of(all.get(Math.floorMod(next.getAndIncrement(), all.size())));
    }

    /** The number of active connections of {@code customer}. */
    public int count(String customer) {
        return (int) byCustomer.getOrDefault(customer, List.of()).stream().filter(c -> c.channel().isActive()).count();
    }

    /** Test hook: closes every connection of {@code customer} abruptly. */
    public void closeAll(String customer) {
        byCustomer.getOrDefault(customer, List.of()).forEach(c -> c.channel().close());
    }
}
