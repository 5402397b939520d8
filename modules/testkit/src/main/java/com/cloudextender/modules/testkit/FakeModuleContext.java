package com.cloudextender.modules.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleMetrics;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.ModuleState;
import com.cloudextender.api.OutboundProxies;
import com.cloudextender.api.UploadReceipt;

/**
 * A module context for modules' unit tests, without an extender: state in a sorted map (which can
 * outlive one module instance, as the database does), uploads copied into a folder (told to fail on
 * demand), a scheduler that records tasks for the test to run, and metrics that count. Thread-safe.
 *
 * <pre>{@code
 * FakeModuleContext context = new FakeModuleContext("directory", config, tempDir);
 * module.start(context);
 * context.uploads.failUpload(1);              // the next upload throws
 * context.scheduler.scheduled.get(0).run();   // runs a scheduled task now
 * }</pre>
 */
public final class FakeModuleContext implements ModuleContext {
    private final String moduleId;
    private final String version;
    private final ModuleConfig config;
    private final Path workDir;
    public final MapState state;
    public final FolderUploads uploads;
    public final RecordingScheduler scheduler = new RecordingScheduler();
    public final CountingMetrics metrics = new CountingMetrics();
    private volatile OutboundProxies proxies = (host, port) -> Optional.empty();

    /** A context for {@code moduleId} version {@code 0.0.0-test} with fresh state, using {@code dir} for files. */
    public FakeModuleContext(String moduleId, ModuleConfig config, Path dir) {
        this(moduleId, "0.0.0-test", config, dir, new MapState());
    }

    /** A context sharing {@code state} with an earlier one, as a restarted or upgraded module would. */
    public FakeModuleContext(String moduleId, String version, ModuleConfig config, Path dir, MapState state) {
        this.moduleId = moduleId;
        this.version = version;
        this.config = config;
        this.workDir = dir.resolve("work");
        this.state = state;
        this.uploads = new FolderUploads(dir.resolve("uploaded"));
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Makes {@link #proxies()} answer with {@code proxies}. */
    public void setProxies(OutboundProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public String moduleId() {
        return moduleId;
    }

    @Override
    public String version() {
        return version;
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
        return metrics;
    }

    @Override
    public OutboundProxies proxies() {
        return proxies;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    /** Sorted in-memory state; {@link #update} applies all of it at once. */
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

        /** Every key with its value in hex, for comparing before and after. */
        public synchronized Map<String, String> snapshot() {
            Map<String, String> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
            return out;
        }
    }

    /** Copies each upload into a folder, with its real SHA-256; fails the n-th upload from now when told to. */
    public static final class FolderUploads implements BulkUploads {
        private final Path dir;
        private final AtomicInteger count = new AtomicInteger();
        private volatile int failAt = -1;
        /** The stored copies, in upload order. */
        public final List<Path> stored = new CopyOnWriteArrayList<>();
        /** Runs after each stored upload (tests use it to lose a lease in the middle of a run). */
        public volatile Runnable afterUpload = () -> { };

        FolderUploads(Path dir) {
            this.dir = dir;
        }

        /** The {@code n}-th upload from now (1 = the next) throws an IOException. */
        public void failUpload(int n) {
            failAt = count.get() + n;
        }

        /** The text of the {@code i}-th stored upload (UTF-8). */
        public String content(int i) throws IOException {
            return Files.readString(stored.get(i), StandardCharsets.UTF_8);
        }

        @Override
        public UploadReceipt upload(Path file, String name, String contentType) throws IOException {
            int n = count.incrementAndGet();
            if (n == failAt) {
                throw new IOException("upload slot refused (test)");
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(n + "-" + name);
            Files.copy(file, target);
            stored.add(target);
            afterUpload.run();
            return new UploadReceipt("https://cloud.test/" + name, sha256(target), Files.size(target));
        }

        private static String sha256(Path file) throws IOException {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Records what a module schedules; runs nothing by itself. */
    public static final class RecordingScheduler implements ModuleScheduler {
        /** Every task scheduled, in order. */
        public final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();
        /**
         * What {@link #leaseNow} answers, by lease name: absent for the default (unfenced), an empty optional for
         * a lease another extender holds.
         */
        public final Map<String, Optional<ModuleScheduler.Lease>> leases = new ConcurrentHashMap<>();

        @Override
        public Optional<ModuleScheduler.Lease> leaseNow(String lease) {
            return leases.getOrDefault(lease, ModuleScheduler.super.leaseNow(lease));
        }

        @Override
        public Cancellable everyAfter(String name, Duration initialDelay, Duration delay, Runnable task) {
            Scheduled s = new Scheduled(name, initialDelay, delay, false, task);
            scheduled.add(s);
            return s;
        }

        @Override
        public Cancellable once(String name, Duration delay, Runnable task) {
            Scheduled s = new Scheduled(name, delay, delay, true, task);
            scheduled.add(s);
            return s;
        }

        /** The tasks not cancelled. */
        public List<Scheduled> active() {
            return scheduled.stream().filter(s -> !s.cancelled()).toList();
        }
    }

    /** One scheduled task: what, when, and whether the module cancelled it. */
    public static final class Scheduled implements ModuleScheduler.Cancellable {
        public final String name;
        public final Duration initialDelay;
        public final Duration delay;
        public final boolean once;
        private final Runnable task;
        private volatile boolean cancelled;

        Scheduled(String name, Duration initialDelay, Duration delay, boolean once, Runnable task) {
            this.name = name;
            this.initialDelay = initialDelay;
            this.delay = delay;
            this.once = once;
            this.task = task;
        }

        /** Runs the task now, on the caller's thread. */
        public void run() {
            task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        public boolean cancelled() {
            return cancelled;
        }
    }

    /** Counters by name, and how many timings were recorded by name. */
    public static final class CountingMetrics implements ModuleMetrics {
        public final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
        public final Map<String, AtomicLong> timings = new ConcurrentHashMap<>();

        @Override
        public void count(String name, long delta) {
            counters.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(delta);
        }

        @Override
        public void time(String name, Duration elapsed) {
            timings.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        }

        /** The counter {@code name}, 0 when never counted. */
        public long counter(String name) {
            AtomicLong c = counters.get(name);
            return c == null ? 0 : c.get();
        }
    }
}
