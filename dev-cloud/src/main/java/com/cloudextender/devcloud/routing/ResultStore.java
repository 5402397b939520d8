package com.cloudextender.devcloud.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.cloudextender.core.protocol.ResultIq;
import com.cloudextender.devcloud.ResultView;

/**
 * The distinct results received, by command id: the newest 100,000, as many as
 * the router keeps outcomes and the journal keeps results, so that a long-running dev cloud does not grow
 * for ever. Results are idempotent (docs/PROTOCOL.md section 4): the first copy is kept, later copies only
 * raise the count. In memory, and in the {@link CommandJournal} when the dev cloud keeps one (then a restart
 * starts with the results stored before, each counted once).
 */
public final class ResultStore {
    private final ConcurrentMap<String, Stored> byCommand = new ConcurrentHashMap<>();
    /** Command ids in the order their first result came, for dropping the oldest. */
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    private final CommandJournal journal;
    private final int limit;

    /** Results in memory only. */
    public ResultStore() {
        this(null, CommandJournal.RESULTS_KEPT);
    }

    /** Results recorded in {@code journal}, starting with those it holds. */
    public ResultStore(CommandJournal journal) {
        this(journal, CommandJournal.RESULTS_KEPT);
    }

    /** As the other constructors, keeping the newest {@code limit} results. */
    ResultStore(CommandJournal journal, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a result store keeps at least one result, not " + limit);
        }
        this.journal = journal;
        this.limit = limit;
        if (journal != null) {
            for (CommandJournal.StoredResult r : journal.results()) {
                if (byCommand.put(r.commandId(), new Stored(r.commandId(), r.extenderId(), r.errorCode(), r.payload(),
                        new AtomicInteger(1))) == null) {
                    order.add(r.commandId());
                }
            }
            dropOldest();
        }
    }

    private record Stored(String commandId, String extenderId, String errorCode, String payload, AtomicInteger count) {
    }

    /** Stores {@code result} from {@code extenderId}; returns true if it is the first copy for its command id. */
    public boolean store(String extenderId, ResultIq result) {
        boolean[] first = {false};
        byCommand.compute(result.commandId(), (id, old) -> {
            if (old != null) {
                old.count().incrementAndGet();
                return old;
            }
            first[0] = true;
            if (journal != null) {
                journal.stored(new CommandJournal.StoredResult(id, extenderId, result.errorCode(), result.payload()));
            }
            order.add(id);
            return new Stored(id, extenderId, result.errorCode(), result.payload(), new AtomicInteger(1));
        });
        if (first[0]) {
            dropOldest();
        }
        return first[0];
    }

    private void dropOldest() {
        while (byCommand.size() > limit) {
            String oldest = order.poll();
            if (oldest == null) {
                return;
            }
            byCommand.remove(oldest);
        }
    }

    /** The stored result of {@code commandId}, if any. */
    public java.util.Optional<ResultView> find(String commandId) {
        return java.util.Optional.ofNullable(byCommand.get(commandId)).map(ResultStore::view);
    }

    public List<ResultView> all() {
        List<ResultView> views = new ArrayList<>(byCommand.size());
        byCommand.values().forEach(s -> views.add(view(s)));
        return views;
    }

    private static ResultView view(Stored s) {
        return new ResultView(s.commandId(), s.extenderId(), s.errorCode(), s.payload(), s.count().get());
    }
}
