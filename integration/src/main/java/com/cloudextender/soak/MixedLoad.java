package com.cloudextender.soak;

import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

import com.cloudextender.devcloud.DevCloud;

/**
 * The steady command stream of the soak: an open loop at a fixed rate (a slow answer does not slow the
 * sending, as with a real cloud), cycling through four kinds of commands that touch different parts of the
 * extender: the core, the chaos module's journal, the example module that the swaps replace, and the
 * directory module's LDAP look-up.
 */
final class MixedLoad implements Runnable {
    /** As in the chaos harness: far above what any of these needs, so a time-out is a finding. */
    static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
    private static final String[] PEOPLE = {"alice", "bob", "carol", "dave"};

    /** One kind of command of the mix; {@code args} gives the arguments of the n-th command. */
    record Kind(String module, String action, IntFunction<String> args) {
        String name() {
            return module + "/" + action;
        }
    }

    static final List<Kind> MIX = List.of(
            new Kind("core", "ping", n -> "{\"echo\":\"soak " + n + "\"}"),
            new Kind("chaos", "mark", n -> "{\"sleepMs\":" + (n % 20) + "}"),
            new Kind("example", "echo", n -> "{\"text\":\"soak " + n + "\"}"),
            new Kind("directory", "lookupUser", n -> "{\"username\":\"" + PEOPLE[n % PEOPLE.length] + "\"}"));

    private final DevCloud cloud;
    private final String extenderId;
    private final CommandLedger ledger;
    private final long intervalNanos;
    private final long endNanos;

    MixedLoad(DevCloud cloud, String extenderId, CommandLedger ledger, int ratePerSecond, long endNanos) {
        this.cloud = cloud;
        this.extenderId = extenderId;
        this.ledger = ledger;
        this.intervalNanos = 1_000_000_000L / ratePerSecond;
        this.endNanos = endNanos;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        for (int n = 0;; n++) {
            long due = start + n * intervalNanos;
            if (due >= endNanos) {
                return;
            }
            try {
                sleepUntil(due);
            } catch (InterruptedException e) {
                return;
            }
            Kind k = MIX.get(n % MIX.size());
            String args = k.args().apply(n);
            ledger.track(k.name(), () -> cloud.sendToExtender(extenderId, k.module(), k.action(), args, COMMAND_LIMIT));
        }
    }

    private static void sleepUntil(long due) throws InterruptedException {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
