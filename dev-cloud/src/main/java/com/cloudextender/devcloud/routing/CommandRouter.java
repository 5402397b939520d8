package com.cloudextender.devcloud.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.protocol.AcceptedIq;
import com.cloudextender.core.protocol.Protocol;
import com.cloudextender.core.protocol.RefusedElement;
import com.cloudextender.core.protocol.ResultIq;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.auth.RandomTokens;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends commands to extenders and follows each until its outcome (docs/PROTOCOL.md sections 3 and 4).
 *
 * <p>A command stays pending until its result arrives, the extender refuses it, or its deadline (the
 * command's time limit plus a margin) passes. Delivery rules:
 * <ul>
 * <li>A command for an extender is sent when that extender is connected, and sent again with the same
 * id each time it reconnects while the command is pending.</li>
 * <li>A command for a customer goes to one of the customer's extenders that are connected and reported
 * {@code healthy} on their current session, in round robin. If that extender disconnects before the
 * result, the command goes to another such extender (same id); if there is none, it waits until one
 * reports healthy.</li>
 * <li>An IQ error without a refusal (for example {@code service-unavailable}) means the command did not
 * arrive; it is sent again at the next health report or reconnect rather than at once, so that a
 * misbehaving extender is not flooded.</li>
 * <li>Pacing (docs/PROTOCOL.md section 3.2): an extender never has more unanswered commands (sent, and no
 * result or refusal yet) than the {@code capacity.commands} of its latest health report; before the first
 * report of a session, at most {@link #INITIAL_WINDOW}. A report without a capacity lifts the limit (an
 * extender that predates it). Commands beyond the limit wait in order and go as results come back, so a
 * backlog after a restart arrives at the pace the extender can take instead of being refused as BUSY.</li>
 * </ul>
 * Thread-safe: state changes happen under one lock; futures complete outside it, so callers' callbacks
 * never run while the lock is held.
 */
public final class CommandRouter implements AutoCloseable {
    /** Time limit used when the caller gives none (the extender then applies its own default). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The longest time limit worth waiting for: no extender accepts more ({@code commands.maxTimeout} is at most
     * 7 days). A longer limit is sent as given, and the cloud's own deadline is computed from this bound, so that
     * no arithmetic overflows.
     */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(7);
    /** Fixed part of the margin after the time limit before the cloud stops waiting for a result. */
    static final Duration MARGIN = Duration.ofSeconds(2);
    /** Outcomes kept for status queries; the oldest are forgotten beyond this (benchmarks send millions). */
    private static final int COMPLETED_KEPT = 100_000;
    /** Unanswered commands an extender may have in a session before its first health report says its capacity. */
    public static final int INITIAL_WINDOW = 16;

    private static final Logger LOG = LoggerFactory.getLogger(CommandRouter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandTransport transport;
    private final ExtenderPresence presence;
    private final CommandJournal journal;
    private final java.util.function.BiFunction<String, String, Optional<String>> leaseHolders;
    private final ScheduledExecutorService timer;
    private final String idPrefix = "cmd-" + RandomTokens.lowerAlphanumeric(8) + "-";
    private final AtomicLong idCounter = new AtomicLong();

    private final Object lock = new Object();
    /** In creation order: commands that wait for room at an extender go in the order they were sent. */
    private final Map<String, CommandRecord> pending = new java.util.LinkedHashMap<>();
    /** Per extender: unanswered commands allowed in this session; absent = {@link #INITIAL_WINDOW}. */
    private final Map<String, Integer> window = new HashMap<>();
    /** Per extender: pending commands whose current delivery went to it (assigned, no result or refusal yet). */
    private final Map<String, Integer> unanswered = new HashMap<>();
    /** Set while {@link #fill} runs, so that a delivery failing at once does not start another fill inside it. */
    private boolean filling;
    private final Map<String, Integer> roundRobin = new HashMap<>();
    private final Map<String, CommandStatus> completed = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommandStatus> eldest) {
            return size() > COMPLETED_KEPT;
        }
    };

    public CommandRouter(CommandTransport transport, ExtenderPresence presence) {
        this(transport, presence, null);
    }

    /**
     * @param journal where commands and their ends are recorded, so that a restarted dev cloud sends the pending
     *                ones again ({@link #restore}); null to keep them in memory only
     */
    public CommandRouter(CommandTransport transport, ExtenderPresence presence, CommandJournal journal) {
        this(transport, presence, journal, (customer, lease) -> Optional.empty());
    }

    /**
     * @param leaseHolders the extender holding a customer's lease, if any: a customer's command for singleton
     *                     work ({@link SingletonActions}) goes to it when it is eligible
     */
    public CommandRouter(CommandTransport transport, ExtenderPresence presence, CommandJournal journal,
            java.util.function.BiFunction<String, String, Optional<String>> leaseHolders) {
        this.transport = transport;
        this.presence = presence;
        this.journal = journal;
        this.leaseHolders = leaseHolders;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "command-deadlines");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    /**
     * Creates a command and sends it when its target allows.
     *
     * @param timeout the command's time limit; null for {@link #DEFAULT_TIMEOUT} without sending one
     * @return the command's id and its outcome, which never fails (problems become outcomes)
     */
    public SentCommand send(CommandTarget target, String module, String action,
            String argumentsJson, Duration timeout) {
        String id = idPrefix + Long.toString(idCounter.incrementAndGet(), 36);
        Long timeoutMillis = timeout == null ? null : timeout.toMillis();
        CommandRecord record = new CommandRecord(id, target, module, action, argumentsJson, timeoutMillis);
        long deadlineMillis = deadlineMillis(timeoutMillis);
        synchronized (lock) {
            if (journal != null) {
                journal.sent(new CommandJournal.Sent(id, target, module, action, argumentsJson, timeoutMillis,
                        System.currentTimeMillis()));
            }
            pending.put(id, record);
            record.deadline = timer.schedule(() -> expire(id, deadlineMillis), deadlineMillis, TimeUnit.MILLISECONDS);
            dispatch(record);
        }
        return new SentCommand(id, record.outcome);
    }

    /**
     * Takes over the commands a previous run of the dev cloud sent and did not see finish (its journal), with
     * their ids, arguments and what is left of their deadlines. They go out when their target connects, as
     * any pending command does; an extender that has their result already sends it again rather than running
     * them twice (docs/PROTOCOL.md section 4).
     */
    public void restore(java.util.List<CommandJournal.Sent> sent) {
        long now = System.currentTimeMillis();
        synchronized (lock) {
            for (CommandJournal.Sent s : sent) {
                CommandRecord record = new CommandRecord(s.id(), s.target(), s.module(), s.action(), s.arguments(),
                        s.timeoutMillis());
                long deadlineMillis = deadlineMillis(s.timeoutMillis());
                long left = Math.max(0, s.sentAtMillis() + deadlineMillis - now);
                pending.put(s.id(), record);
                record.deadline = timer.schedule(() -> expire(s.id(), deadlineMillis), left, TimeUnit.MILLISECONDS);
                dispatch(record);
            }
        }
        if (!sent.isEmpty()) {
            LOG.info("{} command(s) pending from before the restart; they go out when their extenders connect",
                    sent.size());
        }
    }

    /** The outcome of command {@code commandId}, pending or recently completed; empty for a command not known. */
    public Optional<java.util.concurrent.CompletableFuture<CommandOutcome>> outcome(String commandId) {
        synchronized (lock) {
            CommandRecord r = pending.get(commandId);
            if (r != null) {
                return Optional.of(r.outcome);
            }
            CommandStatus done = completed.get(commandId);
            return done == null ? Optional.empty()
                    : Optional.of(java.util.concurrent.CompletableFuture.completedFuture(done.outcome()));
        }
    }

    /** How long the cloud waits for a command with this time limit: the limit (bounded), plus a margin. */
    private static long deadlineMillis(Long timeoutMillis) {
        Duration timeout = timeoutMillis == null ? null : Duration.ofMillis(timeoutMillis);
        Duration limit = timeout == null ? DEFAULT_TIMEOUT : timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout;
        return limit.plus(MARGIN).toMillis() + limit.toMillis() / 10;
    }

    /** The extender bound a new session: commands addressed to it are (re)sent now. */
    public void onConnected(String extenderId) {
        synchronized (lock) {
            window.remove(extenderId); // a new session: its capacity is known again with its first report
            for (CommandRecord r : new ArrayList<>(pending.values())) {
                if (extenderId.equals(r.target.extenderId())) {
                    dispatch(r);
                } else if (r.target.isCustomer() && extenderId.equals(r.assignedTo)) {
                    dispatch(r); // its old session is gone; another healthy extender may take it now
                }
            }
        }
    }

    /** The extender reported health without a capacity: as {@link #onHealth(String, boolean, Integer)}. */
    public void onHealth(String extenderId, boolean healthy) {
        onHealth(extenderId, healthy, null);
    }

    /**
     * The extender reported health: its capacity is noted, and commands waiting for it (or, if healthy, for its
     * customer) are sent as far as it allows.
     *
     * @param capacity the report's {@code capacity.commands}; null when the report has none (no limit)
     */
    public void onHealth(String extenderId, boolean healthy, Integer capacity) {
        synchronized (lock) {
            window.put(extenderId, capacity == null ? Integer.MAX_VALUE : capacity);
            fill(extenderId, healthy);
        }
    }

    /**
     * The {@code capacity.commands} of a health report: a whole number from 1 up, or null when the report has
     * none or it is not such a number (then no limit applies, as for an extender that predates it).
     */
    public static Integer advertisedCapacity(String reportJson) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(reportJson).path("capacity").path("commands");
            return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() > 0 ? n.asInt() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Sends the commands waiting for {@code extenderId} (or for its customer, if it is eligible) while it has room. */
    private void fill(String extenderId, boolean customerEligible) {
        if (filling) {
            return;
        }
        filling = true;
        try {
            String customer = presence.customerOf(extenderId).orElse(null);
            for (CommandRecord r : new ArrayList<>(pending.values())) {
                if (!hasRoom(extenderId)) {
                    return;
                }
                if (r.assignedTo != null || !pending.containsKey(r.id)) {
                    continue;
                }
                if (extenderId.equals(r.target.extenderId())
                        || (customerEligible && r.target.isCustomer() && r.target.customer().equals(customer))) {
                    dispatch(r);
                }
            }
        } finally {
            filling = false;
        }
    }

    /** Room for one more unanswered command at {@code extenderId}. Under the lock. */
    private boolean hasRoom(String extenderId) {
        return unanswered.getOrDefault(extenderId, 0) < window.getOrDefault(extenderId, INITIAL_WINDOW);
    }

    /** Moves {@code r}'s delivery to {@code to} (null: none), keeping the per-extender counts; under the lock. */
    private void assign(CommandRecord r, String to) {
        String from = r.assignedTo;
        if (java.util.Objects.equals(from, to)) {
            return;
        }
        r.assignedTo = to;
        if (to != null) {
            unanswered.merge(to, 1, Integer::sum);
        }
        if (from != null) {
            unanswered.merge(from, -1, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /**
     * Removes a finished command from {@code pending}; its place at its extender goes to the next waiting
     * command. (A delivery that failed frees its place without that: the command is retried at the next report
     * or reconnect, not at once.) Under the lock.
     */
    private CommandRecord removePending(String id) {
        CommandRecord r = pending.remove(id);
        if (r != null) {
            String at = r.assignedTo;
            assign(r, null);
            if (at != null && presence.isConnected(at)) {
                fill(at, presence.eligible(presence.customerOf(at).orElse("")).contains(at));
            }
        }
        return r;
    }

    /** Unanswered commands at {@code extenderId} now (for tests and the console). */
    public int unansweredAt(String extenderId) {
        synchronized (lock) {
            return unanswered.getOrDefault(extenderId, 0);
        }
    }

    /** The extender's session ended and it has no other: its customer commands move to another extender. */
    public void onDisconnected(String extenderId) {
        synchronized (lock) {
            for (CommandRecord r : new ArrayList<>(pending.values())) {
                // A delivery that failed because this very connection closed may have been answered
                // (assignedTo cleared) before this call: it belongs to this extender all the same.
                boolean lostHere = extenderId.equals(r.assignedTo)
                        || (r.assignedTo == null && extenderId.equals(r.lastSentTo));
                if (!lostHere) {
                    continue;
                }
                if (r.target.isCustomer()) {
                    LOG.info("{} lost {} before its result; sending it to another extender of customer {}",
                            extenderId, r.id, r.target.customer());
                    assign(r, null);
                    dispatch(r);
                } else {
                    assign(r, null); // sent again when the extender reconnects
                }
            }
        }
    }

    /** A result arrived (already stored): completes the command if it is still pending. */
    public void onResult(String extenderId, ResultIq result) {
        CommandRecord done;
        CommandOutcome outcome = null;
        synchronized (lock) {
            done = removePending(result.commandId());
            if (done != null) {
                outcome = new CommandOutcome(done.id, extenderId, result.errorCode(), result.payload(), null,
                        done.elapsedMillis());
                finish(done, outcome);
            }
        }
        if (done != null) {
            done.outcome.complete(outcome);
        }
    }

    /** The status of a pending or recently completed command. */
    public Optional<CommandStatus> status(String commandId) {
        synchronized (lock) {
            CommandRecord r = pending.get(commandId);
            if (r != null) {
                return Optional.of(r.status(null));
            }
            return Optional.ofNullable(completed.get(commandId));
        }
    }

    /** How many commands are pending. */
    public int pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /**
     * Stops the deadlines and ends every pending command with {@code CANCELLED}, so that nobody waits
     * for an outcome that can no longer come.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        List<CommandRecord> cancelled;
        synchronized (lock) {
            cancelled = new ArrayList<>(pending.values());
            pending.clear();
        }
        String payload = message("the dev cloud stopped before a result arrived");
        for (CommandRecord r : cancelled) {
            r.outcome.complete(new CommandOutcome(r.id, r.lastSentTo, "CANCELLED", payload, null, r.elapsedMillis()));
        }
    }

    /** Sends {@code r} to its target if one is available now, else leaves it unassigned. Under the lock. */
    private void dispatch(CommandRecord r) {
        String to = chooseExtender(r);
        if (to == null) {
            assign(r, null);
            return;
        }
        assign(r, to);
        r.lastSentTo = to;
        int attempt = ++r.attempt;
        if (attempt > 1) {
            LOG.debug("Sending {} again to {} (delivery {})", r.id, to, attempt);
        }
        transport.deliver(to, r.toIq()).whenComplete((answer, failure) -> onAnswer(r.id, attempt, to, answer, failure));
    }

    /** A connected extender for {@code r} with room for it (or already holding it), or null. */
    private String chooseExtender(CommandRecord r) {
        CommandTarget target = r.target;
        if (!target.isCustomer()) {
            String x = target.extenderId();
            return presence.isConnected(x) && (x.equals(r.assignedTo) || hasRoom(x)) ? x : null;
        }
        List<String> eligible = new ArrayList<>(presence.eligible(target.customer()));
        eligible.removeIf(x -> !x.equals(r.assignedTo) && !hasRoom(x));
        if (eligible.isEmpty()) {
            return null;
        }
        // Singleton work goes to the lease's holder: any other extender would refuse it.
        Optional<String> holder = SingletonActions.lease(r.module, r.action)
                .flatMap(lease -> leaseHolders.apply(target.customer(), lease)).filter(eligible::contains);
        if (holder.isPresent()) {
            return holder.get();
        }
        int next = roundRobin.merge(target.customer(), 1, Integer::sum);
        return eligible.get(Math.floorMod(next - 1, eligible.size()));
    }

    /** The extender's immediate answer to delivery {@code attempt} of command {@code id}. */
    private void onAnswer(String id, int attempt, String extenderId, IQ answer, Throwable failure) {
        CommandRecord refused = null;
        CommandOutcome outcome = null;
        synchronized (lock) {
            CommandRecord r = pending.get(id);
            if (r == null || r.attempt != attempt) {
                return; // finished, or a newer delivery superseded this one
            }
            if (failure != null) {
                assign(r, null); // the connection ended; the disconnect or reconnect re-sends it
                return;
            }
            if (answer.getType() != IQ.Type.error) {
                r.accepted = true;
                if (answer instanceof AcceptedIq accepted && "done".equals(accepted.state())) {
                    LOG.debug("{} already has a result for {}; it sends it again", extenderId, id);
                }
                return;
            }
            StanzaError error = answer.getError();
            RefusedElement refusal = error == null ? null : error.getExtension(RefusedElement.ELEMENT, Protocol.NAMESPACE);
            if (refusal == null) {
                assign(r, null);
                LOG.warn("{} answered {} with the IQ error '{}' and no refusal; it will be sent again at the next "
                        + "health report or reconnect", extenderId, id, error == null ? "?" : error.getCondition());
                return;
            }
            removePending(id);
            String code = refusal.code() == null ? "REFUSED" : refusal.code();
            outcome = new CommandOutcome(id, extenderId, code, message(refusal.text()), code, r.elapsedMillis());
            finish(r, outcome);
            refused = r;
        }
        refused.outcome.complete(outcome);
    }

    private void expire(String id, long deadlineMillis) {
        CommandRecord r;
        CommandOutcome outcome;
        synchronized (lock) {
            r = removePending(id);
            if (r == null) {
                return;
            }
            String where = r.lastSentTo == null ? "no extender of " + r.target + " was available"
                    : "no result from " + r.lastSentTo;
            outcome = new CommandOutcome(id, r.lastSentTo, "TIMEOUT",
                    JSON.createObjectNode().put("message", where + " within " + deadlineMillis
                            + " ms (the time limit plus a margin); the cloud stopped waiting").put("local", true)
                            .toString(),
                    null, r.elapsedMillis());
            finish(r, outcome);
        }
        LOG.info("Command {} ({}/{}) for {} timed out locally", id, r.module, r.action, r.target);
        r.outcome.complete(outcome);
    }

    /** Records the outcome of a command already removed from {@code pending}. Under the lock. */
    private void finish(CommandRecord r, CommandOutcome outcome) {
        if (r.deadline != null) {
            r.deadline.cancel(false);
        }
        if (journal != null) {
            journal.finished(outcome);
        }
        completed.put(r.id, r.status(outcome));
    }

    private static String message(String text) {
        return JSON.createObjectNode().put("message", text == null ? "" : text).toString();
    }
}
