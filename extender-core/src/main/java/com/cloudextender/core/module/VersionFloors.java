package com.cloudextender.core.module;

import java.util.Optional;

import org.h2.mvstore.MVMap;

import com.cloudextender.core.module.pack.ModuleDescriptor;
import com.cloudextender.core.module.pack.ModuleVersion;
import com.cloudextender.core.store.LocalStore;

/**
 * The newest version of each module ever activated on this extender, and how far its publisher lets an
 * extender go back from it ({@code downgrade.minVersion}), in the local store. Kept when a module is
 * removed, so that removing and reinstalling cannot bring back a version below the floor.
 */
final class VersionFloors {
    private static final String MAP = "module-floors";

    private final LocalStore store;
    private final MVMap<String, String> map;

    /**
     * What is known of one module.
     *
     * @param newest           the newest version ever activated
     * @param downgradeMinVersion what that version's descriptor allows going back to, if it says
     */
    record History(ModuleVersion newest, Optional<ModuleVersion> downgradeMinVersion) {
    }

    VersionFloors(LocalStore store) {
        this.store = store;
        this.map = store.map(MAP);
    }

    /** The history of {@code id}; empty when no version of it was ever activated (or the record is unreadable). */
    Optional<History> of(String id) {
        String text = map.get(id);
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(" ", -1);
        try {
            return Optional.of(new History(ModuleVersion.parse(parts[0]), parts.length > 1 && !parts[1].isEmpty()
                    ? Optional.of(ModuleVersion.parse(parts[1])) : Optional.empty()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code d} was activated: it becomes the newest when it is newer than every one before. */
    void activated(ModuleDescriptor d) {
        Optional<History> h = of(d.id());
        if (h.isPresent() && d.version().compareTo(h.get().newest()) <= 0) {
            return;
        }
        String text = d.version() + " " + d.downgradeMinVersion().map(ModuleVersion::toString).orElse("");
        synchronized (store) {
            map.put(d.id(), text);
            store.commit();
        }
    }
}
