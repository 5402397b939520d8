package com.cloudextender.modules.directory.testing;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleMetrics;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.ModuleState;
import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.UploadReceipt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A module context for tests: map-backed state, uploads copied into a folder (told to fail on demand),
 * a scheduler that only records tasks, and metrics that do nothing.
 */
public final class FakeModuleContext implements ModuleContext {
    private final ModuleConfig config;
    private final Path workDir;
    public final MapState state = new MapState();
    public final FolderUploads uploads;
    public final RecordingScheduler scheduler = new RecordingScheduler();

    public FakeModuleContext(Map<String, String> config, Set<String> secrets, Path dir) {
        this.config = new ModuleConfig(config, secrets);
        this.workDir = dir.resolve("work");
        this.uploads = new FolderUploads(dir.resolve("uploaded"));
    }

    @Override
    public String moduleId() {
        return "directory";
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
        return uploads;
    }

    @Override
    public ModuleScheduler scheduler() {
        return scheduler;
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
            }

            @Override
            public void time(String name, Duration elapsed) {
            }
        };
    }

    @Override
    public OutboundProxies proxies() {
        return (host, port) -> Optional.empty();
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    /** A sorted in-memory state; {@link #update} applies all of it or, when told to fail, none. */
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

        /** A copy of everything, for comparing before and after. */
        public synchronized Map<String, String> snapshot() {
            Map<String, String> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
            return out;
        }
    }

    /** Copies each upload into a folder; fails the n-th upload from now when told to. */
    public static final class FolderUploads implements BulkUploads {
        private final Path dir;
        private final AtomicInteger count = new AtomicInteger();
        private volatile int failAt = -1;
        public final List<Path> stored = new ArrayList<>();

        FolderUploads(Path dir) {
            this.dir = dir;
        }

        /** The {@code n}-th upload from now (1 = the next) throws. */
        public void failUpload(int n) {
            failAt = count.get() + n;
        }

        @Override
        public synchronized UploadReceipt upload(Path file, String name, String contentType) throws IOException {
            int n = count.incrementAndGet();
            if (n == failAt) {
                throw new IOException("upload slot refused (test)");
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(name);
            Files.copy(file, target);
            stored.add(target);
            return new UploadReceipt("https://cloud.test/" + name, "00", Files.size(target));
        }
    }

    /** Records what a module schedules; runs nothing. */
    public static final class RecordingScheduler implements ModuleScheduler {
        public final List<String> tasks = new ArrayList<>();
        public final List<Runnable> runnables = new ArrayList<>();

        @Override
        public synchronized Cancellable everyAfter(String name, Duration initialDelay, Duration delay, Runnable task) {
            tasks.add(name + " every " + delay);
            runnables.add(task);
            return () -> tasks.remove(name + " every " + delay);
        }

        @Override
        public synchronized Cancellable once(String name, Duration delay, Runnable task) {
            tasks.add(name + " once " + delay);
            runnables.add(task);
            return () -> { };
        }
    }
}
