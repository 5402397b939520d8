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
 * the first copy is kept, later copies only raise the count. In memory: the dev cloud's results live as
 * long as the process.
 */
public final class ResultStore {
    private final ConcurrentMap<String, Stored> byCommand = new ConcurrentHashMap<>();

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
            return new Stored(id, extenderId, result.errorCode(), result.payload(), new AtomicInteger(1));
        });
        return first[0];
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
