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
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;
import com.cloudextender.devcloud.ExtenderView;
import com.cloudextender.devcloud.modules.ModuleEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

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
    private static final int SYNC_USERS = 400;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Descriptors or threads above the level before the cuts that count as a leak. */
    static final int LEAK_TOLERANCE = 4;
    /** The heap after a full collection may grow by this much, or a tenth, whichever is larger (as the soak's). */
    private static final long HEAP_TOLERANCE_KIB = 4 * 1024;
    /** Concurrent commands before the resource baseline of the cuts. */
    private static final int WARM_UP_BURST = 40;
    private static final String CUSTOMER = "chaos";

    /**
     * Options of a run that are not drawn from the seed.
     *
     * @param installKills rounds of a module install or upgrade with a kill -9 in it, after the episodes
     * @param syncKills    rounds of a directory sync with a kill -9 in it, after the install rounds
     * @param cloudRestarts rounds of a command stream during which the dev cloud restarts, after the sync rounds
     */
    record Options(int episodes, int cuts, List<String> extenderJvmOptions, int installKills, int syncKills,
            int cloudRestarts) {
        Options(int episodes, int cuts, List<String> extenderJvmOptions) {
            this(episodes, cuts, extenderJvmOptions, 0, 0, 0);
        }

        Options(int episodes, int cuts, List<String> extenderJvmOptions, int installKills) {
            this(episodes, cuts, extenderJvmOptions, installKills, 0, 0);
        }

        Options(int episodes, int cuts, List<String> extenderJvmOptions, int installKills, int syncKills) {
            this(episodes, cuts, extenderJvmOptions, installKills, syncKills, 0);
        }
    }

    /** What one run found and measured. */
    record Report(long seed, Schedule schedule, Invariants.Findings findings, Map<String, Integer> faults,
            int kills, List<Long> reconnectMillis, int fdBefore, int fdAfter, int threadsBefore, int threadsAfter,
            long heapBeforeKiB, long heapAfterKiB, List<String> resourceViolations, long millis) {
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
    private final HeapAfterGc heap = new HeapAfterGc();
    private DevCloudOptions cloudOptions;
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
            // Commands and results kept on disk, as a cloud keeps them, so that the cloud can restart (--cloud-restarts).
            cloudOptions = DevCloudOptions.ephemeral(dir.resolve("cloud")).withDurableCommands(true);
            cloud = DevCloud.start(cloudOptions);
            proxy = FaultProxy.start(cloud.directTlsPort());
            fixture = ExtenderFixture.install(dir.resolve("extender"), cloud, CUSTOMER, "unused", false, Map.of(
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
            List<String> roundViolations = installKills(options.installKills());
            roundViolations.addAll(syncKills(options.syncKills()));
            number = cloudRestarts(options.cloudRestarts(), number);
            Cuts cuts = cuts(options.cuts());
            cuts.violations().addAll(0, roundViolations);
            List<Invariants.Sent> outcomes = collect();
            Invariants.Findings findings = Invariants.check(outcomes, cloud.results(), journal());
            return new Report(seed, schedule, findings, faults, kills, cuts.reconnectMillis, cuts.fdBefore,
                    cuts.fdAfter, cuts.threadsBefore, cuts.threadsAfter, cuts.heapBeforeKiB, cuts.heapAfterKiB, cuts.violations,
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

    /** Waits until the cloud holds a session of the extender bound after {@code after}; returns the wait or -1. */
    private long awaitReconnect(Instant after, Duration timeout) throws InterruptedException {
        return CloudWaits.reconnectedAfter(cloud, extenderId, after, timeout);
    }

    /**
     * kill -9 while a module is installed or swapped (issue 16, section 1): the example module is published
     * and enabled, then each round publishes a newer version, so that the cloud's rollout sends the extender
     * an install, and kills the extender 0 to 800 ms (seeded) later: in the download, the check, the unpacking
     * or the swap, or before or after them. After the restart the rollout sends the install again; the round
     * passes when the extender reports the new version active within 60 s, the module answers a command and
     * the modules folder holds nothing the killed install left behind.
     */
    private List<String> installKills(int rounds) throws Exception {
        List<String> v = new ArrayList<>();
        if (rounds == 0) {
            return v;
        }
        Path example = DevPackages.built("example");
        Path packages = Files.createDirectories(dir.resolve("packages"));
        for (int i = 1; i <= rounds; i++) {
            String version = "9." + i + ".0";
            cloud.publishModule(DevPackages.withVersion(example, version, packages.resolve("example-" + version
                    + ".cxm")), "stable");
            if (i == 1) {
                cloud.enableFeature(CUSTOMER, "example", Map.of("greeting", "chaos", "apiKey", "Ch4osK3y!"));
            }
            Thread.sleep(random.nextInt(0, 801));
            if (awaitActive("example", version, Duration.ZERO)) {
                count("module install reported done before the kill"); // the kill then tests the restart only
            }
            killAndRestart();
            count("kill -9 during a module install");
            if (!awaitActive("example", version, Duration.ofSeconds(60))) {
                v.add("install round " + i + ": example " + version + " not reported active within 60 s of the "
                        + "restart; last health report: " + cloud.extender(extenderId).map(ExtenderView::lastHealthJson)
                        .orElse(null));
                continue;
            }
            CommandOutcome echo;
            try {
                echo = cloud.sendToExtender(extenderId, "example", "echo", "{\"text\":\"after kill\"}", COMMAND_LIMIT)
                        .get(OUTCOME_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                v.add("install round " + i + ": example/echo got no outcome: " + e);
                continue;
            }
            if (!echo.isOk() || !echo.payload().contains("after kill")) {
                v.add("install round " + i + ": example/echo after the restart: " + echo);
            }
            String left = leftOvers(fixture.home().resolve("data/modules"), Duration.ofSeconds(5));
            if (left != null) {
                v.add("install round " + i + ": " + left);
            }
        }
        return v;
    }

    /**
     * kill -9 during a directory sync upload (issue 16, section 1): the directory module syncs a slow in-memory
     * directory (each person entry 4 ms late, so a full run of {@value #SYNC_USERS} users takes seconds and
     * uploads about a dozen chunks). Each round changes the directory (three mail addresses, one user added,
     * one deleted; seeded), sends {@code directory/sync} and kills the extender 0 to 2,500 ms (seeded) later:
     * in the read, between chunk uploads, or after the result. After the restart the cloud sends the sync again
     * (a command interrupted by a crash runs again, docs/PROTOCOL.md section 4). The round passes when the sync
     * succeeds, the cloud's copy (the fold of the stored chunks) equals the directory, and one more sync finds
     * nothing to send: the baseline the extender kept equals the directory, so it equals the cloud's copy.
     */
    private List<String> syncKills(int rounds) throws Exception {
        List<String> v = new ArrayList<>();
        if (rounds == 0) {
            return v;
        }
        InMemoryDirectoryServer directory = SlowDirectory.start(SYNC_USERS, 4);
        try {
            ModuleEntry module = cloud.publishModule(DevPackages.built("directory"), "stable");
            cloud.enableFeature(CUSTOMER, "directory", SlowDirectory.featureConfig(directory.getListenPort(), "0s"));
            if (!awaitActive("directory", module.version().toString(), Duration.ofSeconds(60))) {
                v.add("the directory module was not reported active within 60 s");
                return v;
            }
            List<String> users = new ArrayList<>();
            for (int u = 0; u < SYNC_USERS; u++) {
                users.add("user" + u);
            }
            for (int i = 1; i <= rounds; i++) {
                if (i > 1) {
                    changeDirectory(directory, users, i);
                }
                CompletableFuture<CommandOutcome> sync = cloud.sendToExtender(extenderId, "directory", "sync", "{}",
                        COMMAND_LIMIT);
                Thread.sleep(random.nextInt(0, 2_501));
                if (sync.isDone()) {
                    count("directory sync done before the kill"); // the kill then tests the restart only
                }
                killAndRestart();
                count("kill -9 during a directory sync");
                String round = "sync round " + i + ": ";
                CommandOutcome outcome = outcome(sync);
                if (outcome == null || !outcome.isOk()) {
                    v.add(round + "the sync interrupted by the kill ended " + outcome);
                    continue;
                }
                java.util.Set<String> expected = SlowDirectory.dns(directory);
                java.util.Set<String> copy = new java.util.TreeSet<>(DirectoryCopy.fold(cloud).values());
                if (!copy.equals(expected)) {
                    java.util.Set<String> missing = new java.util.TreeSet<>(expected);
                    missing.removeAll(copy);
                    java.util.Set<String> extra = new java.util.TreeSet<>(copy);
                    extra.removeAll(expected);
                    v.add(round + "the cloud's copy differs from the directory: missing " + missing + ", extra " + extra);
                }
                CommandOutcome quiet = outcome(cloud.sendToExtender(extenderId, "directory", "sync", "{}",
                        COMMAND_LIMIT));
                if (quiet == null || !quiet.isOk()) {
                    v.add(round + "the sync after it ended " + quiet);
                    continue;
                }
                JsonNode p = JSON.readTree(quiet.payload()).path("profiles").path(0);
                long changes = p.path("added").asLong() + p.path("modified").asLong() + p.path("moved").asLong()
                        + p.path("deleted").asLong();
                if (changes != 0) {
                    v.add(round + "the extender's baseline differs from the directory; the next sync sent " + p);
                }
            }
            return v;
        } finally {
            directory.shutDown(true);
        }
    }

    /**
     * Restarts of the dev cloud in the middle of a command stream (issue 16, section 1): each round streams 40 to
     * 80 {@code chaos/mark} commands, 0 to 30 ms apart, each running 0 to 300 ms, and before a random one of
     * them stops the dev cloud, waits 0 to 2,000 ms (the extender's reconnects are refused meanwhile), and starts
     * it again on the same data directory and ports. The dev cloud keeps its commands and results on disk, so
     * the restarted one sends the pending commands again; commands whose outcome the stopped cloud ended as
     * {@code CANCELLED} are then followed on the new one. The invariants are the episodes': one successful
     * outcome each, and no run after a stored result.
     *
     * @return the number of commands sent so far
     */
    private int cloudRestarts(int rounds, int number) throws Exception {
        for (int i = 1; i <= rounds; i++) {
            String label = "cloud restart " + i;
            log(label);
            int commands = random.nextInt(40, 81);
            int restartAt = random.nextInt(commands);
            int first = sent.size();
            for (int c = 0; c < commands; c++) {
                if (c == restartAt) {
                    restartCloud(random.nextInt(0, 2_001));
                }
                String args = "{\"sleepMs\":" + random.nextInt(0, 301) + "}";
                sent.add(new Pending(++number, label, cloud.sendToExtender(extenderId, "chaos", "mark", args,
                        COMMAND_LIMIT)));
                Thread.sleep(random.nextInt(0, 31));
            }
            // The stopped cloud ended what it had pending as CANCELLED: the restarted one has those commands now.
            for (int k = first; k < sent.size(); k++) {
                Pending p = sent.get(k);
                CommandOutcome o = p.outcome().isDone() ? p.outcome().join() : null;
                if (o != null && "CANCELLED".equals(o.errorCode())) {
                    sent.set(k, new Pending(p.number(), p.episode(), cloud.outcome(o.commandId())
                            .orElse(CompletableFuture.failedFuture(new IllegalStateException("the restarted cloud "
                                    + "does not know " + o.commandId())))));
                }
            }
            awaitOutcomes(first);
        }
        return number;
    }

    /** Stops the dev cloud and starts it again on the same data directory and ports after {@code downMillis}. */
    private void restartCloud(int downMillis) throws Exception {
        int xmppPort = cloud.directTlsPort();
        int startTlsPort = cloud.startTlsPort();
        int apiPort = cloud.apiUrl().getPort();
        cloud.close();
        count("dev cloud restart");
        Thread.sleep(downMillis);
        Instant restarted = Instant.now();
        cloud = DevCloud.start(cloudOptions.withPorts(xmppPort, startTlsPort, apiPort));
        if (awaitReconnect(restarted, Duration.ofSeconds(60)) < 0) {
            throw new IllegalStateException("the extender did not reconnect within 60 s of the dev cloud's restart; "
                    + "see " + dir.resolve("extender.log"));
        }
    }

    /** Round {@code round}'s changes: three mail addresses, one user added and one deleted, chosen by the seed. */
    private void changeDirectory(InMemoryDirectoryServer directory, List<String> users, int round) throws Exception {
        for (int m = 0; m < 3; m++) {
            String uid = users.get(random.nextInt(users.size()));
            directory.modify(SlowDirectory.userDn(uid), new Modification(ModificationType.REPLACE, "mail",
                    uid + ".r" + round + "@corp.example"));
        }
        String added = "new" + round;
        SlowDirectory.addUser(directory, added);
        users.add(added);
        directory.delete(SlowDirectory.userDn(users.remove(random.nextInt(2, users.size()))));
    }

    /** The command's outcome, or null when none came within the wait. */
    private static CommandOutcome outcome(CompletableFuture<CommandOutcome> command) throws InterruptedException {
        try {
            return command.get(OUTCOME_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /**
     * What a killed install left behind in the modules folder once the module is active again (a partial
     * download, a package besides the active one), or null; waits up to {@code wait} for clean-up to end.
     */
    static String leftOvers(Path modules, Duration wait) throws IOException, InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        String found;
        do {
            List<String> incoming = names(modules.resolve("incoming"));
            List<String> packages = names(modules.resolve("packages"));
            found = !incoming.isEmpty() ? "files left in modules/incoming: " + incoming
                    : packages.size() != 1 ? "modules/packages holds " + packages + ", not only the active package"
                    : null;
            if (found == null) {
                return null;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < end);
        return found;
    }

    private static List<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Waits until the extender's health report lists {@code module} at {@code version}, active. */
    private boolean awaitActive(String module, String version, Duration timeout) throws InterruptedException {
        return CloudWaits.moduleActive(cloud, extenderId, module, version, timeout);
    }

    private record Cuts(List<Long> reconnectMillis, int fdBefore, int fdAfter, int threadsBefore, int threadsAfter,
            long heapBeforeKiB, long heapAfterKiB, List<String> violations) {
    }

    /**
     * Resets the connection {@code n} times, each time waiting for the new session and then 0 to 1.5 s, with
     * a command through it every tenth cut; compares descriptors, threads and the heap after a full collection
     * before and after. The baseline is taken after a burst of concurrent commands, so that pools the
     * extender grows on demand have grown before it, not during the cuts.
     */
    private Cuts cuts(int n) throws Exception {
        List<String> v = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        if (n == 0) {
            return new Cuts(millis, -1, -1, -1, -1, -1, -1, v); // v is mutable: the caller adds to it
        }
        // Warm up: a few reconnects and commands, so that lazily made pools exist before the baseline.
        for (int i = 0; i < 3; i++) {
            Instant at = Instant.now();
            proxy.resetAll();
            awaitReconnect(at, Duration.ofSeconds(30));
        }
        burst(WARM_UP_BURST);
        Thread.sleep(1500);
        // The heap first: its jcmd starts the attach listener thread, which then stays for both thread counts.
        long heapBefore = heap.usedKiB(extender.pid());
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
        long heapAfter = heap.usedKiB(extender.pid());
        if (heapAfter > heapBefore + Math.max(HEAP_TOLERANCE_KIB, heapBefore / 10)) {
            v.add("heap after a full collection: " + heapBefore / 1024 + " MiB before " + n + " reconnects, "
                    + heapAfter / 1024 + " MiB after");
        }
        return new Cuts(millis, fdBefore, fdAfter, threadsBefore, threadsAfter, heapBefore, heapAfter, v);
    }

    /** {@code n} commands at once, each running 200 ms, so that the extender's workers all get busy. */
    private void burst(int n) throws InterruptedException {
        int first = sent.size();
        for (int i = 0; i < n; i++) {
            sent.add(new Pending(sent.size() + 1, "warm-up burst", cloud.sendToExtender(extenderId, "chaos", "mark",
                    "{\"sleepMs\":200}", COMMAND_LIMIT)));
        }
        awaitOutcomes(first);
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
