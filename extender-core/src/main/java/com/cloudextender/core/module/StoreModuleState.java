package com.cloudextender.core.module;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import com.cloudextender.api.ModuleState;
import com.cloudextender.core.store.LocalStore;

/**
 * A module's key-value state: one map per module in the extender's local store, named after the
 * module id so that it survives upgrades. Each write commits; MVStore's copy-on-write commit makes
 * {@link #update} all-or-nothing across a crash. A large update rewrites the map instead of editing it
 * ({@link LocalStore#rewrite}), so one instance per module must be shared by every loaded version of it.
 */
final class StoreModuleState implements ModuleState {
    static final String MAP_PREFIX = "module-state/";
    /**
     * An update of at least this many puts, and at least half as many as the map holds, rewrites the map:
     * a first directory sync's 100,000 baseline values took 0.5 s of puts in a new JVM, and 0.2 s appended.
     */
    static final int REWRITE_MIN_PUTS = 1024;

    private final LocalStore store;
    private final String name;
    /** Replaced by a rewrite; readers holding the old one read the state as it was before that update. */
    private volatile MVMap<String, byte[]> map;

    StoreModuleState(LocalStore store, String moduleId) {
        this.store = store;
        this.name = MAP_PREFIX + moduleId;
        this.map = store.map(name);
    }

    /** Removes the whole state of {@code moduleId}, when the module itself is removed. */
    static void drop(LocalStore store, String moduleId) {
        store.removeMap(MAP_PREFIX + moduleId);
        store.commit();
    }

    @Override
    public Optional<byte[]> get(String key) {
        byte[] v = map.get(key);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    @Override
    public void put(String key, byte[] value) {
        update(Map.of(key, value), Set.of());
    }

    @Override
    public void remove(String key) {
        update(Map.of(), Set.of(key));
    }

    @Override
    public void update(Map<String, byte[]> puts, Set<String> removals) {
        // One lock for the edits and the commit: a concurrent commit from elsewhere must not publish half
        // of this update.
        synchronized (store) {
            MVMap<String, byte[]> m = map;
            if (puts.size() >= REWRITE_MIN_PUTS && puts.size() * 2L >= m.sizeAsLong()) {
                map = store.rewrite(name, out -> merge(m, sorted(puts), removals, out));
            } else {
                puts.forEach((k, v) -> m.put(k, v.clone()));
                removals.forEach(m::remove);
            }
            store.commit();
        }
    }

    private static SortedMap<String, byte[]> sorted(Map<String, byte[]> puts) {
        return puts instanceof SortedMap<String, byte[]> s && s.comparator() == null ? s : new TreeMap<>(puts);
    }

    /**
     * Hands over, in key order, the stored entries merged with {@code puts} (a put replaces the stored
     * value), leaving out {@code removals}: what {@link #update} would leave in the map.
     */
    private static void merge(MVMap<String, byte[]> stored, SortedMap<String, byte[]> puts, Set<String> removals,
            LocalStore.Appender<String, byte[]> out) {
        Cursor<String, byte[]> old = stored.cursor(null);
        Iterator<Map.Entry<String, byte[]>> put = puts.entrySet().iterator();
        String oldKey = old.hasNext() ? old.next() : null;
        Map.Entry<String, byte[]> next = put.hasNext() ? put.next() : null;
        while (oldKey != null || next != null) {
            int order = oldKey == null ? 1 : next == null ? -1 : oldKey.compareTo(next.getKey());
            if (order < 0) {
                if (!removals.contains(oldKey)) {
                    out.append(oldKey, old.getValue());
                }
                oldKey = old.hasNext() ? old.next() : null;
            } else {
                if (!removals.contains(next.getKey())) {
                    out.append(next.getKey(), next.getValue().clone());
                }
                if (order == 0) {
                    oldKey = old.hasNext() ? old.next() : null;
                }
                next = put.hasNext() ? put.next() : null;
            }
        }
    }

    @Override
    public void forEach(String prefix, BiConsumer<String, byte[]> visitor) {
        for (var it = map.cursor(prefix); it.hasNext();) {
            String key = it.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            visitor.accept(key, it.getValue().clone());
        }
    }
}
