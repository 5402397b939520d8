package com.cloudextender.core.module;

import java.util.ArrayList;
import java.util.List;

import org.h2.mvstore.MVMap;

import com.cloudextender.core.store.LocalStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The installed modules, one JSON document per module id in the local store; every change commits. */
final class ModuleRegistryStore {
    private static final String MAP = "modules";

    private final LocalStore store;
    private final MVMap<String, String> map;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    ModuleRegistryStore(LocalStore store) {
        this.store = store;
        this.map = store.map(MAP);
    }

    /** Every installed module; a record that cannot be read is reported and skipped. */
    List<InstalledModule> all(java.util.function.BiConsumer<String, String> unreadable) {
        List<InstalledModule> out = new ArrayList<>();
        map.forEach((id, text) -> {
            try {
                out.add(json.readValue(text, InstalledModule.class));
            } catch (JsonProcessingException e) {
                unreadable.accept(id, e.getOriginalMessage());
            }
        });
        return out;
    }

    void put(InstalledModule m) {
        try {
            String text = json.writeValueAsString(m);
            synchronized (store) {
                map.put(m.id(), text);
                store.commit();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void remove(String id) {
        synchronized (store) {
            map.remove(id);
            store.commit();
        }
    }
}
