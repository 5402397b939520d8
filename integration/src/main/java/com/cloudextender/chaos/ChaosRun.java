package com.cloudextender.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.cloudextender.chaos.Schedule.Episode;
import com.cloudextender.chaos.Schedule.Kind;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;
import com.cloudextender.devcloud.ExtenderView;

/**
 * One run of the harness for one seed: a dev cloud in this JVM, the fault proxy, and the extender as a
 * separate process that is killed and started again. It plays the seed's {@link Schedule}, then cuts the
 * connection {@code cuts} times in a row to measure reconnects and the process's descriptors and threads,
 * and finally checks the {@link Invariants}.
 */
final class ChaosRun {
    /** How long every command may run; far above what any episode needs, so a time-out is a finding. */
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(90);
    /** Descriptors or threads above the level before the cuts that count as a leak. */
    static final int LEAK_TOLERANCE = 4;

    /** Options of a run that are not drawn from the seed. */
    record Options(int episodes, int cuts, List<String> extenderJvmOptions) {
    }

    /** What one run found and measured. */
    record Report(long seed, Schedule schedule, Invariants.Findings findings, Map<String, Integer> faults,
            int kills, List<Long> reconnectMillis, int fdBefore, int fdAfter, int threadsBefore, int threadsAfter,
            List<String> resourceViolations, long millis) {
        List<String> violations() {
            List<String> all = new ArrayList<>(findings.violations());
            all.addAll(resourceViolations);
            return all;
        }
    }

    private final long seed;
    private final Options options;
    private final Path dir;
    private final SplittableRandom random;
    private final Map<String, Integer> faults = new java.util.TreeMap<>();
    private final List<Pending> sent = new ArrayList<>();
    private final ExecutorService faultThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chaos-fault");
        t.setDaemon(true);
        return t;
    });
    private DevCloud cloud;
    private FaultProxy proxy;
    private ExtenderFixture fixture;
    private ExtenderProcess extender;
    private String extenderId;
    private int kills;

    private record Pending(int number, String episode, CompletableFuture<CommandOutcome> outcome) {
    }

    ChaosRun(long seed, Options options, Path dir) {
        this.seed = seed;
        this.options = options;
        this.dir = dir;
        // The schedule has its own stream; this one draws what each command looks like.
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    Report run() throws Exception {
        long t0 = System.nanoTime();
        Schedule schedule = Schedule.draw(seed, options.episodes());
        log("seed " + seed + ": " + schedule.episodes().size() + " episode(s), " + options.cuts() + " cut(s)");
        try {
            cloud = DevCloud.start(DevCloudOptions.ephemeral(dir.resolve("cloud")));
            proxy = FaultProxy.start(cloud.directTlsPort());
            fixture = ExtenderFixture.install(dir.resolve("extender"), cloud, "chaos", "unused", false, Map.of(
                    "cloud.port", Integer.toString(proxy.port()),
                    "channel.pingInterval", "2s",
                    "outbox.retryInterval", "2s"));
            startExtender();
            int number = 0;
            for (int i = 0; i < schedule.episodes().size(); i++) {
                Episode e = schedule.episodes().get(i);
                String name = "episode " + (i + 1) + " " + e;
                log(name);
                number = play(e, "e" + (i + 1) + ":" + e.kind() + (e.kind() == Kind.NETWORK_FAULT ? "/" + e.fault() : ""),
                        number);
            }
            Cuts cuts = cuts(options.cuts());
            List<Invariants.Sent> outcomes = collect();
            Invariants.Findings findings = Invariants.check(outcomes, cloud.results(), journal());
            return new Report(seed, schedule, findings, faults, kills, cuts.reconnectMillis, cuts.fdBefore,
                    cuts.fdAfter, cuts.threadsBefore, cuts.threadsAfter, cuts.violations,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } finally {
            faultThread.shutdownNow();
            if (extender != null) {
                extender.kill();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (cloud != null) {
                cloud.close();
            }
        }
    }

    /** Plays one episode; returns the number of commands sent so far. */
    private int play(Episode e, String label, int number) throws Exception {
        List<Future<?>> strikes = new ArrayList<>();
        if (e.kind() == Kind.KILL_DURING_FLUSH) {
            // Results pile up in the outbox unacknowledged; the cut and the acknowledgements coming back make
            // the reconnect flush them all, and the kill lands in that flush.
            cloud.setAcknowledgeResults(false);
            int first = sent.size();
            for (int i = 0; i < e.commands(); i++) {
                send(++number, label, e);
            }
            awaitOutcomes(first);
            Instant cut = Instant.now();
            proxy.resetAll();
            cloud.setAcknowledgeResults(true);
            count("cut before flush");
            awaitReconnect(cut, Duration.ofSeconds(30));
            Thread.sleep(e.faultMillis());
            killAndRestart();
            return number;
        }
        int first = sent.size();
        for (int i = 0; i < e.commands(); i++) {
            if (i == e.faultAt()) {
                strikes.add(faultThread.submit(() -> {
                    strike(e);
                    return null;
                }));
            }
            send(++number, label, e);
            Thread.sleep(random.nextInt(0, e.maxGapMillis() + 1));
        }
        for (Future<?> f : strikes) {
            f.get(60, TimeUnit.SECONDS);
        }
        awaitOutcomes(first);
        return number;
    }

    private void strike(Episode e) throws Exception {
        if (e.kind() == Kind.KILL_DURING_COMMANDS) {
            killAndRestart();
            return;
        }
        count(e.fault().name());
        switch (e.fault()) {
            case RESET -> proxy.resetAll();
            case CLOSE -> proxy.closeAll();
            case PARTIAL_WRITE -> proxy.cutNextChunk();
            case STALL_THEN_RESUME, STALL_THEN_RESET -> {
                proxy.stall();
                Thread.sleep(e.faultMillis());
                if (e.fault() == Schedule.NetFault.STALL_THEN_RESET) {
                    proxy.resetAll();
                }
                proxy.resume();
            }
            case SLOW -> {
                proxy.slow(Duration.ofMillis(20 + e.faultMillis() / 30));
                Thread.sleep(e.faultMillis());
                proxy.resume();
            }
            case REFUSE -> {
                proxy.refuse(true);
                Thread.sleep(e.faultMillis());
                proxy.refuse(false);
            }
        }
    }

    private void send(int number, String label, Episode e) {
        String args = "{\"sleepMs\":" + random.nextInt(0, e.maxRunMillis() + 1) + "}";
        sent.add(new Pending(number, label, cloud.sendToExtender(extenderId, "chaos", "mark", args, COMMAND_LIMIT)));
    }

    private void awaitOutcomes(int from) throws InterruptedException {
        long end = System.nanoTime() + OUTCOME_WAIT.toNanos();
        for (Pending p : sent.subList(from, sent.size())) {
            try {
                p.outcome().get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException ex) {
                return; // reported as a missing outcome by the invariants
            }
        }
    }

    private List<Invariants.Sent> collect() {
        List<Invariants.Sent> out = new ArrayList<>();
        for (Pending p : sent) {
            out.add(new Invariants.Sent(p.number(), p.episode(), p.outcome().isDone() && !p.outcome()
                    .isCompletedExceptionally() ? p.outcome().join() : null));
        }
        return out;
    }

    private List<Invariants.Run> journal() throws IOException {
        List<Invariants.Run> runs = new ArrayList<>();
        Path file = dir.resolve("journal.txt");
        if (!Files.exists(file)) {
            return runs;
        }
        for (String line : Files.readAllLines(file)) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                runs.add(new Invariants.Run(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim())));
            }
        }
        return runs;
    }

    private void startExtender() throws Exception {
        proxy.closeGate();
        extender = ExtenderProcess.start(fixture.home(), fixture.config(), dir.resolve("journal.txt"),
                dir.resolve("extender.log"), options.extenderJvmOptions());
        String id = extender.awaitReady(Duration.ofSeconds(60));
        if (extenderId != null && !extenderId.equals(id)) {
            throw new IllegalStateException("the extender came back as " + id + ", not " + extenderId);
        }
        extenderId = id;
        proxy.openGate();
        if (!cloud.awaitConnected(extenderId, Duration.ofSeconds(30))) {
            throw new IllegalStateException("the extender did not connect within 30 s; see " + dir.resolve("extender.log"));
        }
    }

    private void killAndRestart() throws Exception {
        proxy.closeGate();
        extender.kill();
        kills++;
        count("kill -9");
        startExtender();
    }

    /** Waits until the cloud holds a session of the extender bound after {@code after}; returns the wait. */
    private long awaitReconnect(Instant after, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        while (System.nanoTime() < end) {
            ExtenderView v = cloud.extender(extenderId).orElseThrow();
            if (v.connected() && v.connectedSince() != null && v.connectedSince().isAfter(after)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(2);
        }
        return -1;
    }

    private record Cuts(List<Long> reconnectMillis, int fdBefore, int fdAfter, int threadsBefore, int threadsAfter,
            List<String> violations) {
    }

    /**
     * Resets the connection {@code n} times, each time waiting for the new session and then 0 to 1.5 s, with
     * a command through it every tenth cut; compares descriptors and threads before and after.
     */
    private Cuts cuts(int n) throws Exception {
        List<String> v = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        if (n == 0) {
            return new Cuts(millis, -1, -1, -1, -1, v);
        }
        // Warm up: a few reconnects and commands, so that lazily made pools exist before the baseline.
        for (int i = 0; i < 3; i++) {
            Instant at = Instant.now();
            proxy.resetAll();
            awaitReconnect(at, Duration.ofSeconds(30));
        }
        markAndWait("warm-up");
        Thread.sleep(1500);
        int fdBefore = extender.fileDescriptors();
        int threadsBefore = extender.threads();
        for (int i = 1; i <= n; i++) {
            Instant at = Instant.now();
            proxy.resetAll();
            count("cut (reconnect measured)");
            long ms = awaitReconnect(at, Duration.ofSeconds(60));
            if (ms < 0) {
                v.add("cut " + i + ": no reconnect within 60 s");
                break;
            }
            millis.add(ms);
            // Cuts land at random points of the new session: during its login as well as in steady state.
            Thread.sleep(random.nextInt(0, 1500));
            if (i % 10 == 0) {
                markAndWait("cuts");
            }
        }
        markAndWait("cuts");
        // Sockets closed on another thread and threads that end on their own get a moment; a leak does not.
        int fdAfter = Integer.MAX_VALUE;
        int threadsAfter = Integer.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            Thread.sleep(500);
            fdAfter = Math.min(fdAfter, extender.fileDescriptors());
            threadsAfter = Math.min(threadsAfter, extender.threads());
            if (fdAfter <= fdBefore && threadsAfter <= threadsBefore) {
                break;
            }
        }
        if (fdAfter > fdBefore + LEAK_TOLERANCE) {
            v.add("file descriptors: " + fdBefore + " before " + n + " reconnects, " + fdAfter + " after");
        }
        if (threadsAfter > threadsBefore + LEAK_TOLERANCE) {
            v.add("threads: " + threadsBefore + " before " + n + " reconnects, " + threadsAfter + " after");
        }
        return new Cuts(millis, fdBefore, fdAfter, threadsBefore, threadsAfter, v);
    }

    private void markAndWait(String label) throws InterruptedException {
        int first = sent.size();
        sent.add(new Pending(sent.size() + 1, label, cloud.sendToExtender(extenderId, "chaos", "mark", "{}",
                COMMAND_LIMIT)));
        awaitOutcomes(first);
    }

    private void count(String fault) {
        synchronized (faults) {
            faults.merge(fault, 1, Integer::sum);
        }
    }

    private void log(String line) {
        System.out.println("[chaos] " + line);
        System.out.flush();
    }

}
