package com.cloudextender.modules.scep.testing;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleMetrics;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.ModuleState;
import com.cloudextender.api.OutboundProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** A module context for tests: map-backed state, counted metrics, no uploads, no scheduling, a replaceable proxy decision. */
public final class FakeModuleContext implements ModuleContext {
    private final ModuleConfig config;
    private final Path workDir;
    public final MapState state = new MapState();
    public final Map<String, Long> counters = new ConcurrentHashMap<>();
    /** The proxy decision; direct connections unless a test replaces it before the module starts. */
    public volatile OutboundProxies proxies = (host, port) -> Optional.empty();

    public FakeModuleContext(Map<String, String> config, Set<String> secrets, Path dir) {
        this.config = new ModuleConfig(config, secrets);
        this.workDir = dir;
    }

    @Override
    public String moduleId() {
        return "scep";
    }

    @Override
    public String version() {
        return "0.0.0-test";
    }

    @Override
    public ModuleConfig config() {
        return config;
    }

    @Override
    public BulkUploads uploads() {
        return (file, name, type) -> {
            throw new UnsupportedOperationException("the scep module does not upload");
        };
    }

    @Override
    public ModuleScheduler scheduler() {
        return new ModuleScheduler() {
            @Override
            public Cancellable everyAfter(String name, Duration initialDelay, Duration delay, Runnable task) {
                return () -> { };
            }

            @Override
            public Cancellable once(String name, Duration delay, Runnable task) {
                return () -> { };
            }
        };
    }

    @Override
    public ModuleState state() {
        return state;
    }

    @Override
    public ModuleMetrics metrics() {
        return new ModuleMetrics() {
            @Override
            public void count(String name, long delta) {
                counters.merge(name, delta, Long::sum);
            }

            @Override
            public void time(String name, Duration elapsed) {
            }
        };
    }

    @Override
    public OutboundProxies proxies() {
        return proxies;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    /** A sorted in-memory state. */
    public static final class MapState implements ModuleState {
        private final TreeMap<String, byte[]> map = new TreeMap<>();

        @Override
        public synchronized Optional<byte[]> get(String key) {
            return Optional.ofNullable(map.get(key)).map(byte[]::clone);
        }

        @Override
        public synchronized void put(String key, byte[] value) {
            map.put(key, value.clone());
        }

        @Override
        public synchronized void remove(String key) {
            map.remove(key);
        }

        @Override
        public synchronized void update(Map<String, byte[]> puts, Set<String> removals) {
            removals.forEach(map::remove);
            puts.forEach((k, v) -> map.put(k, v.clone()));
        }

        @Override
        public synchronized void forEach(String prefix, BiConsumer<String, byte[]> visitor) {
            map.tailMap(prefix).forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    visitor.accept(k, v.clone());
                }
            });
        }

        /** The keys, for assertions. */
        public synchronized Set<String> keys() {
            return Set.copyOf(map.keySet());
        }
    }
}
