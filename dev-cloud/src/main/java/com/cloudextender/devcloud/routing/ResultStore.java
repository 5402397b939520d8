package com.cloudextender.devcloud.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.cloudextender.core.protocol.ResultIq;
import com.cloudextender.devcloud.ResultView;

/**
 * Every distinct result received, by command id. Results are idempotent (docs/PROTOCOL.md section 4):
 * the first copy is kept, later copies only raise the count. In memory, and in the {@link CommandJournal}
 * when the dev cloud keeps one (then a restart starts with the results stored before, each counted once).
 */
public final class ResultStore {
    private final ConcurrentMap<String, Stored> byCommand = new ConcurrentHashMap<>();
    private final CommandJournal journal;

    /** Results in memory only. */
    public ResultStore() {
        this.journal = null;
    }

    /** Results recorded in {@code journal}, starting with those it holds. */
    public ResultStore(CommandJournal journal) {
        this.journal = journal;
        for (CommandJournal.StoredResult r : journal.results()) {
            byCommand.put(r.commandId(), new Stored(r.commandId(), r.extenderId(), r.errorCode(), r.payload(),
                    new AtomicInteger(1)));
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
            return new Stored(id, extenderId, result.errorCode(), result.payload(), new AtomicInteger(1));
        });
        return first[0];
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
