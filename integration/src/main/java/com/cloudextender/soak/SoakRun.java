package com.cloudextender.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.cloudextender.chaos.CloudWaits;
import com.cloudextender.chaos.ExtenderProcess;
import com.cloudextender.chaos.FaultProxy;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.EmbeddedDirectory;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * One soak run: the dev cloud and an embedded directory in this JVM, the extender as a separate process
 * ({@link ExtenderProcess}, as in the chaos harness) reaching the cloud through the {@link FaultProxy}. After
 * the set-up (the directory and example modules pushed by the cloud, a first full sync) the load runs for
 * the given minutes: the {@link MixedLoad}, a directory sync, a module swap and a channel cut each on its
 * own period, and a sample of the process every few seconds.
 */
final class SoakRun {
    static final String CUSTOMER = "soak";
    private static final Duration START_WAIT = Duration.ofSeconds(90);
    private static final Duration MODULE_WAIT = Duration.ofMinutes(2);
    /** For the commands still in flight when the load stops (a sync may take a while). */
    private static final Duration DRAIN_WAIT = Duration.ofMinutes(3);

    /** What the run measured and saw; the report judges it. */
    record Result(long startNanos, List<Sample> samples, List<CommandRecord> commands, List<Cut> cuts,
            List<ModuleSwaps.Swap> swaps, int syncs, List<SoakEvent> events, List<String> problems, Path work,
            Path extenderLog) {
    }

    private final SoakOptions options;
    private final Path work;
    private final Path extenderLog;
    private final CommandLedger ledger = new CommandLedger();
    private final List<Sample> samples = new ArrayList<>();
    private final List<Cut> cuts = Collections.synchronizedList(new ArrayList<>());
    private final List<ModuleSwaps.Swap> swapsDone = Collections.synchronizedList(new ArrayList<>());
    private final List<SoakEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private DevCloud cloud;
    private FaultProxy proxy;
    private EmbeddedDirectory directory;
    private ExtenderProcess extender;
    private String extenderId;
    private long start;

    SoakRun(SoakOptions options, Path work) {
        this.options = options;
        this.work = work;
        this.extenderLog = work.resolve("extender-process.log");
    }

    Result run() throws Exception {
        try {
            setUp();
            return soak();
        } finally {
            if (extender != null) {
                extender.kill();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (cloud != null) {
                cloud.close();
            }
            if (directory != null) {
                directory.close();
            }
        }
    }

    private void setUp() throws Exception {
        cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("cloud")));
        proxy = FaultProxy.start(cloud.directTlsPort());
        directory = EmbeddedDirectory.start(options.users());
        ExtenderFixture fixture = ExtenderFixture.install(work.resolve("extender"), cloud, CUSTOMER, "unused", false,
                // The health report is how a swap is seen to be done: often enough to time a swap in seconds.
                Map.of("cloud.port", Integer.toString(proxy.port()), "health.interval", "5s"));
        // The gate holds the channel until the chaos module is registered (ChaosExtenderMain's ready line).
        proxy.closeGate();
        extender = ExtenderProcess.start(fixture.home(), fixture.config(), work.resolve("journal.txt"), extenderLog,
                List.of());
        extenderId = extender.awaitReady(START_WAIT);
        proxy.openGate();
        if (!cloud.awaitConnected(extenderId, START_WAIT)) {
            throw new IllegalStateException("the extender did not connect within " + START_WAIT.toSeconds()
                    + " s; see " + extenderLog);
        }
        say("extender " + extenderId + " (pid " + extender.pid() + ") connected through the fault proxy");

        String directoryVersion = cloud.publishModule(DevPackages.built("directory"), "stable").version().toString();
        Path packages = Files.createDirectories(work.resolve("packages"));
        Path example = DevPackages.built(ModuleSwaps.MODULE);
        String first = ModuleSwaps.version(0);
        cloud.publishModule(DevPackages.withVersion(example, first, packages.resolve("example-" + first + ".cxm")),
                "stable");
        cloud.enableFeature(CUSTOMER, "directory", directory.featureConfig());
        cloud.enableFeature(CUSTOMER, ModuleSwaps.MODULE, Map.of("greeting", "soak", "apiKey", "S0akK3y!"));
        awaitActive("directory", directoryVersion);
        awaitActive(ModuleSwaps.MODULE, first);

        CommandOutcome full = cloud.sendToExtender(extenderId, "directory", "sync", "{}", Duration.ofMinutes(5))
                .get(6, TimeUnit.MINUTES);
        if (!full.isOk()) {
            throw new IllegalStateException("the first (full) directory sync failed: " + full);
        }
        say("directory " + directoryVersion + " and example " + first + " active; first full sync done ("
                + options.users() + " people)");
    }

    private void awaitActive(String module, String version) throws InterruptedException {
        if (!CloudWaits.moduleActive(cloud, extenderId, module, version, MODULE_WAIT)) {
            throw new IllegalStateException("the extender did not report " + module + " " + version + " active within "
                    + MODULE_WAIT.toSeconds() + " s; see " + extenderLog);
        }
    }

    private Result soak() throws Exception {
        start = System.nanoTime();
        long end = start + options.nanos(options.minutes());
        ProcessSampler sampler = new ProcessSampler(extender, start, work.resolve("extender/data/extender.mv.db"));
        DirectorySyncs syncs = new DirectorySyncs(cloud, extenderId, directory, options.users(), ledger);
        ModuleSwaps swaps = new ModuleSwaps(cloud, extenderId, work.resolve("packages"));
        ChannelCuts cutter = new ChannelCuts(cloud, proxy, extenderId);

        ExecutorService load = Executors.newSingleThreadExecutor(r -> new Thread(r, "soak-load"));
        load.submit(new MixedLoad(cloud, extenderId, ledger, options.rate(), end));
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "soak-events");
            t.setDaemon(true);
            return t;
        });
        // Each kind on its own phase of the sync period, so that a cut does not always land on a sync's start.
        long syncPeriod = options.nanos(options.syncEveryMinutes());
        every(timer, syncPeriod, syncPeriod, end, "sync", () -> {
            CommandRecord r = syncs.syncOnce();
            event(r.sentNanos(), "sync", r.ok() ? "ok in " + Math.round(r.latencyMillis()) + " ms"
                    : "failed: " + (r.outcome() == null ? "no outcome" : r.outcome().errorCode() + " " + r.outcome().payload()));
        });
        long swapPeriod = options.nanos(options.swapEveryMinutes());
        every(timer, swapPeriod + syncPeriod / 4, swapPeriod, end, "swap", () -> {
            ModuleSwaps.Swap s = swaps.swap();
            swapsDone.add(s);
            event(s.atNanos(), "swap", ModuleSwaps.MODULE + " " + s.version()
                    + (s.done() ? " active after " + s.millis() + " ms" : " NOT reported active"));
        });
        long cutPeriod = options.nanos(options.cutEveryMinutes());
        every(timer, cutPeriod + syncPeriod / 2, cutPeriod, end, "cut", () -> {
            Cut c = cutter.cut();
            cuts.add(c);
            event(c.atNanos(), "cut", c.reconnected() ? "reconnected after " + c.reconnectMillis() + " ms"
                    : "NO reconnect");
        });

        long sampleNanos = (long) (options.sampleSeconds() * 1e9);
        for (long due = start;; due = Math.min(due + sampleNanos, end)) {
            sleepUntil(due);
            Sample s = sampler.sample();
            samples.add(s);
            progress(s);
            if (due >= end) {
                break;
            }
        }
        load.shutdown();
        load.awaitTermination(1, TimeUnit.MINUTES);
        timer.shutdown(); // runs due after the end skip themselves; running ones finish
        if (!timer.awaitTermination(10, TimeUnit.MINUTES)) {
            problems.add("a sync, swap or cut was still running 10 minutes after the load ended");
        }
        say("load ended; waiting up to " + DRAIN_WAIT.toMinutes() + " min for the outcomes still to come");
        ledger.awaitAll(DRAIN_WAIT);
        return new Result(start, List.copyOf(samples), ledger.records(), List.copyOf(cuts), List.copyOf(swapsDone),
                syncs.runs(), List.copyOf(events), List.copyOf(problems), work, extenderLog);
    }

    /** A step of a scheduled task; it may throw, which is reported rather than ending the schedule. */
    private interface Step {
        void run() throws Exception;
    }

    private void every(ScheduledExecutorService timer, long first, long period, long end, String what, Step step) {
        timer.scheduleAtFixedRate(() -> {
            if (System.nanoTime() >= end) {
                return;
            }
            try {
                step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                problems.add(what + " at minute " + minute(System.nanoTime()) + ": " + e);
                say(what + " failed: " + e);
            }
        }, first, period, TimeUnit.NANOSECONDS);
    }

    private void event(long atNanos, String kind, String detail) {
        SoakEvent e = new SoakEvent((atNanos - start) / 60e9, kind, detail);
        events.add(e);
        say(String.format(Locale.ROOT, "%6.2f min  %-4s %s", e.minute(), kind, detail));
    }

    private void progress(Sample s) {
        say(String.format(Locale.ROOT, "%6.2f min  RSS %.1f MiB, heap after GC %.1f MiB, %d threads, %d fds, store "
                + "%.1f MiB; %d commands sent, %d cuts, %d swaps", s.minute(), s.rssMiB(), s.heapMiB(), s.threads(),
                s.fileDescriptors(), s.storeMiB(), ledger.sent(), cuts.size(), swapsDone.size()));
    }

    private String minute(long nanos) {
        return String.format(Locale.ROOT, "%.1f", (nanos - start) / 60e9);
    }

    private static void sleepUntil(long due) throws InterruptedException {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    static void say(String line) {
        System.out.println("[soak] " + line);
        System.out.flush();
    }
}
