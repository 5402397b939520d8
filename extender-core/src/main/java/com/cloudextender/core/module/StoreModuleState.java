package com.cloudextender.core.module;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import org.h2.mvstore.MVMap;

import com.cloudextender.api.ModuleState;
import com.cloudextender.core.store.LocalStore;

/**
 * A module's key-value state: one map per module in the extender's local store, named after the
 * module id so that it survives upgrades. Each write commits; MVStore's copy-on-write commit makes
 * {@link #update} all-or-nothing across a crash.
 */
final class StoreModuleState implements ModuleState {
    static final String MAP_PREFIX = "module-state/";

    private final LocalStore store;
    private final MVMap<String, byte[]> map;

    StoreModuleState(LocalStore store, String moduleId) {
        this.store = store;
        this.map = store.map(MAP_PREFIX + moduleId);
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
            puts.forEach((k, v) -> map.put(k, v.clone()));
            removals.forEach(map::remove);
            store.commit();
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
