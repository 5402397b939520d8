package com.cloudextender.modules.example;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleMetrics;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.ModuleState;
import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.UploadReceipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A host for one module in tests: state in a map that outlives the module (as the database does),
 * scheduled tasks kept for the test to run, metrics and uploads recorded.
 */
final class FakeModuleContext implements ModuleContext {
    final ConcurrentSkipListMap<String, byte[]> stateMap;
    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    final List<Scheduled> scheduled = new ArrayList<>();
    final List<String> uploadedContents = new ArrayList<>();
    private final ModuleConfig config;
    private final Path workDir;

    /** A scheduled task, with whether it was cancelled. */
    static final class Scheduled {
        final String name;
        final Duration delay;
        final Runnable task;
        volatile boolean cancelled;

        Scheduled(String name, Duration delay, Runnable task) {
            this.name = name;
            this.delay = delay;
            this.task = task;
        }
    }

    FakeModuleContext(ModuleConfig config, Path workDir, ConcurrentSkipListMap<String, byte[]> stateMap) {
        this.config = config;
        this.workDir = workDir;
        this.stateMap = stateMap;
    }

    @Override
    public String moduleId() {
        return "example";
    }

    @Override
    public String version() {
        return "1.2.0";
    }

    @Override
    public ModuleConfig config() {
        return config;
    }

    @Override
    public BulkUploads uploads() {
        return (file, name, contentType) -> {
            byte[] bytes = Files.readAllBytes(file);
            synchronized (uploadedContents) {
                uploadedContents.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
            try {
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                return new UploadReceipt("https://cloud.test/files/" + name, sha, bytes.length);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Override
    public ModuleScheduler scheduler() {
        return new ModuleScheduler() {
            @Override
            public Cancellable everyAfter(String name, Duration initialDelay, Duration delay, Runnable task) {
                Scheduled s = new Scheduled(name, delay, task);
                scheduled.add(s);
                return () -> s.cancelled = true;
            }

            @Override
            public Cancellable once(String name, Duration delay, Runnable task) {
                return everyAfter(name, delay, delay, task);
            }
        };
    }

    @Override
    public ModuleState state() {
        return new ModuleState() {
            @Override
            public Optional<byte[]> get(String key) {
                return Optional.ofNullable(stateMap.get(key));
            }

            @Override
            public void put(String key, byte[] value) {
                stateMap.put(key, value.clone());
            }

            @Override
            public void remove(String key) {
                stateMap.remove(key);
            }

            @Override
            public void update(Map<String, byte[]> puts, Set<String> removals) {
                puts.forEach(this::put);
                removals.forEach(this::remove);
            }

            @Override
            public void forEach(String prefix, BiConsumer<String, byte[]> visitor) {
                stateMap.tailMap(prefix).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix))
                        .forEach(e -> visitor.accept(e.getKey(), e.getValue()));
            }
        };
    }

    @Override
    public ModuleMetrics metrics() {
        return new ModuleMetrics() {
            @Override
            public void count(String name, long delta) {
                counters.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(delta);
            }

            @Override
            public void time(String name, Duration elapsed) {
            }
        };
    }

    @Override
    public OutboundProxies proxies() {
        throw new UnsupportedOperationException("the example module makes no outbound connection");
    }

    @Override
    public Path workDir() {
        return workDir;
    }
}
