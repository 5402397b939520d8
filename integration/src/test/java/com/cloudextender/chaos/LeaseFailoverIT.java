package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;
import com.cloudextender.devcloud.lease.LeaseTable;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;

/**
 * Several extenders per customer (docs/RELIABILITY.md, "Several extenders per customer"): three extender
 * processes of one customer run the directory module; only the holder of the customer-wide lease
 * {@code directory.sync} syncs. The holder is killed with SIGKILL in the middle of its sync (a slowed
 * directory makes the sync last seconds). The cloud moves the lease to another extender within the term,
 * that extender's first run is a full one and completes, the cloud's folded copy equals the directory, and
 * commands sent to the customer all the while keep succeeding. Prints the lease and command failover times.
 * System properties (scripts/leases sets them): {@code lease.runs} (1), {@code lease.users} (1,500),
 * {@code lease.kills} (1, or 2: the new holder is killed in the middle of its own sync too).
 */
class LeaseFailoverIT {
    private static final String CUSTOMER = "lease-co";
    private static final String LEASE = "directory.sync";

    @TempDir
    Path dir;

    @Test
    void theHolderKilledMidSyncIsReplacedAndTheCloudsCopyEqualsTheDirectory() throws Exception {
        // The short form: one run, one kill. scripts/leases runs the long form (more runs, users and kills).
        int runs = Integer.getInteger("lease.runs", 1);
        int users = Integer.getInteger("lease.users", 1_500);
        int kills = Integer.getInteger("lease.kills", 1);
        if (kills < 1 || kills > 2) {
            throw new IllegalArgumentException("lease.kills must be 1 or 2 (one of the three extenders must survive), "
                    + "not " + kills);
        }
        for (int run = 1; run <= runs; run++) {
            runOnce(dir.resolve("run" + run), run, users, kills);
        }
    }

    private void runOnce(Path dir, int run, int users, int kills) throws Exception {
        InMemoryDirectoryServer directory = SlowDirectory.start(users, 4);
        List<ExtenderProcess> processes = new ArrayList<>();
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(dir.resolve("cloud")))) {
            cloud.publishModule(DevPackages.built("directory"), "stable");
            Map<String, ExtenderProcess> byId = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                ExtenderFixture f = ExtenderFixture.install(dir.resolve("x" + i), cloud, CUSTOMER, "unused", false,
                        Map.of("health.interval", "5s"));
                ExtenderProcess p = ExtenderProcess.start(f.home(), f.config(), dir.resolve("journal" + i + ".txt"),
                        dir.resolve("extenders.log"), List.of());
                processes.add(p);
                String id = p.awaitReady(Duration.ofSeconds(90));
                assertTrue(cloud.awaitConnected(id, Duration.ofSeconds(60)), id + " did not connect");
                byId.put(id, p);
            }
            cloud.enableFeature(CUSTOMER, "directory", SlowDirectory.featureConfig(directory.getListenPort(), "3s"));

            await("a holder of lease " + LEASE, Duration.ofSeconds(90),
                    () -> cloud.leases().holder(CUSTOMER, LEASE).isPresent());
            String holder = cloud.leases().holder(CUSTOMER, LEASE).orElseThrow();
            long firstGeneration = cloud.leases().grants().get(cloud.leases().grants().size() - 1).generation();
            // Mid-sync: some chunks of its full run are stored, far from all of them.
            await("the holder's first chunks", Duration.ofSeconds(90), () -> DirectoryCopy.uploads(cloud).size() >= 3);
            assertTrue(DirectoryCopy.fold(cloud).size() < users, "the holder is still in the middle of its sync");

            Pinger pinger = new Pinger(cloud);
            pinger.start();
            Thread.sleep(1_000); // commands flow before the kill, too
            Set<String> killed = new TreeSet<>();
            Map<String, Long> killedWith = new HashMap<>(); // the generation each killed extender held
            long generation = firstGeneration;
            long firstKillAt = 0;
            long lastKillAt = 0;
            LeaseTable.Grant takeover = null;
            StringBuilder figures = new StringBuilder();
            for (int k = 1; k <= kills; k++) {
                if (k > 1) {
                    // The new holder is in the middle of its own full run: a few more chunks are stored.
                    int before = DirectoryCopy.uploads(cloud).size();
                    await("the new holder's first chunks", Duration.ofSeconds(60),
                            () -> DirectoryCopy.uploads(cloud).size() >= before + 3);
                }
                int chunksBeforeKill = DirectoryCopy.uploads(cloud).size();
                long killedAt = System.nanoTime();
                firstKillAt = firstKillAt == 0 ? killedAt : firstKillAt;
                lastKillAt = killedAt;
                byId.get(holder).kill();
                killed.add(holder);
                killedWith.put(holder, generation);
                if (k == 1) {
                    // A user the killed holder uploaded is deleted before anyone syncs again. The next holder's
                    // baseline never knew it, so no delete record can name it: the complete full run must.
                    String uploaded = DirectoryCopy.fold(cloud).values().stream()
                            .filter(dn -> dn.startsWith("uid=user")).findFirst().orElseThrow();
                    directory.delete(uploaded);
                    figures.append(" deleted-after-kill=").append(uploaded, 0, uploaded.indexOf(','));
                }
                long after = generation;
                await("another extender to take lease " + LEASE + " over", Duration.ofSeconds(60),
                        () -> takeover(cloud, killed, after).isPresent());
                takeover = takeover(cloud, killed, after).orElseThrow();
                long leaseFailoverMillis = TimeUnit.NANOSECONDS.toMillis(takeover.atNanos() - killedAt);
                assertTrue(leaseFailoverMillis <= 30_000, "the lease moved within 30 s: " + leaseFailoverMillis + " ms");
                figures.append(String.format(Locale.ROOT, " kill%d-chunks-before=%d kill%d-lease-failover-ms=%d", k,
                        chunksBeforeKill, k, leaseFailoverMillis));
                holder = takeover.extenderId();
                generation = takeover.generation();
            }

            Set<String> expected = SlowDirectory.dns(directory);
            await("the cloud's copy to equal the directory", Duration.ofSeconds(180),
                    () -> new TreeSet<>(DirectoryCopy.fold(cloud).values()).equals(expected));
            long copyCompleteMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastKillAt);
            Thread.sleep(1_000);
            pinger.stop();

            List<Pinger.Ping> pings = pinger.results();
            assertTrue(pings.size() > 10, "commands were sent throughout: " + pings.size());
            List<Pinger.Ping> failed = pings.stream().filter(p -> !p.ok()).toList();
            assertTrue(failed.isEmpty(), "every command sent to the customer succeeded: " + failed);
            long fromKill = firstKillAt - 1_000_000_000L;
            long commandFailoverMillis = pings.stream().filter(p -> p.sentAt() >= fromKill)
                    .mapToLong(Pinger.Ping::millis).max().orElseThrow();
            long lastTakeover = takeover.atNanos();
            assertTrue(pings.stream().anyMatch(p -> p.sentAt() > lastTakeover), "commands flow after the takeover");
            for (String id : killed) {
                assertFalse(byId.get(id).isAlive());
            }
            // One holder at a time: generations grow by one with each grant, a killed holder never gets one again.
            List<LeaseTable.Grant> grants = cloud.leases().grants();
            for (int i = 1; i < grants.size(); i++) {
                assertEquals(grants.get(i - 1).generation() + 1, grants.get(i).generation());
            }
            for (LeaseTable.Grant g : grants) {
                Long last = killedWith.get(g.extenderId());
                assertTrue(last == null || g.generation() <= last, "no grant to a killed extender: " + g);
            }
            System.out.printf(Locale.ROOT, "FIGURE run=%d users=%d term-ms=%d%s copy-complete-ms=%d "
                    + "command-failover-ms=%d pings=%d%n", run, users, cloud.leases().term().toMillis(), figures,
                    copyCompleteMillis, commandFailoverMillis, pings.size());
        } finally {
            for (ExtenderProcess p : processes) {
                p.kill();
            }
            directory.shutDown(true);
        }
    }

    /** The first grant after {@code generation} to an extender that was not killed. */
    private static Optional<LeaseTable.Grant> takeover(DevCloud cloud, Set<String> killed, long generation) {
        return cloud.leases().grants().stream()
                .filter(g -> g.generation() > generation && !killed.contains(g.extenderId())).findFirst();
    }

    private static void await(String what, Duration timeout, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Sends core/ping to the customer every 100 ms and keeps each command's time to its result. */
    private static final class Pinger {
        record Ping(long sentAt, long millis, boolean ok, String outcome) {
        }

        private final DevCloud cloud;
        private final List<CompletableFuture<Ping>> sent = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;
        private final Thread thread = new Thread(this::loop, "pinger");

        Pinger(DevCloud cloud) {
            this.cloud = cloud;
        }

        void start() {
            thread.start();
        }

        private void loop() {
            while (running) {
                long at = System.nanoTime();
                sent.add(cloud.sendToCustomer(CUSTOMER, "core", "ping", "{}", Duration.ofSeconds(20))
                        .handle((CommandOutcome o, Throwable t) -> new Ping(at,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at), t == null && o.isOk(),
                                t != null ? t.toString() : o.toString())));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        List<Ping> results() throws Exception {
            List<Ping> list = new ArrayList<>();
            for (CompletableFuture<Ping> f : sent) {
                list.add(f.get(60, TimeUnit.SECONDS));
            }
            return list;
        }
    }
}
