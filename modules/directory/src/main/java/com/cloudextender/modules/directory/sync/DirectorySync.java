package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.connect.HostNameCheck;
import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.modules.support.inventory.RunEnd;
import com.cloudextender.modules.support.lease.LeaseRuns;
import com.cloudextender.modules.support.lease.NotLeaseHolderException;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.ChunkUploader;
import com.cloudextender.modules.directory.config.SyncSettings;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user visibility sync: reads OUs, users and groups under the included subtrees page by page,
 * compares each entry with the compact {@link Baseline}, and uploads the changes (or, for a full run,
 * everything) as gzip'd JSON-lines chunks. The baseline advances only after every chunk was uploaded,
 * in one atomic state update; any failure before that leaves it as it was, so the next run sends the
 * same changes again. Deletions beyond the safety threshold are held back whole until approved.
 * How changes are found depends on the server ({@link ChangeReaders}): RFC 4533 content sync, Active
 * Directory uSNChanged, or a paged full read compared with the baseline. A reader's position (cookie,
 * watermark) is stored in the same atomic update as the baseline. One sync runs at a time. Thread-safe.
 *
 * <p>Records: {@code {"op":"upsert","change":"add|modify|move|unchanged","type":"ou|user|group","id",
 * "dn",...}}, {@code {"op":"members","id","members":[..]}} after a group (several lines for a large
 * group), and {@code {"op":"delete","type","id"}}. The cloud never infers a deletion from absence.
 */
public final class DirectorySync {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySync.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * Entries handed to the encoding thread at once, and how many such batches may wait: a few hundred entries
     * in flight. Each holds its decoded attributes (2-3 KB), and the service's young generation starts at a few
     * MB (conf/jvm.options): with four batches of 256 waiting, nearly everything in it was still in flight at
     * each collection, so it was promoted and then collected by full collections instead.
     */
    static final int HANDOFF_BATCH = 128;
    static final int HANDOFF_BATCHES = 2;

    /** The customer-wide lease under which one of the customer's extenders runs the scheduled sync and sweep. */
    public static final String LEASE = "directory.sync";

    private static final java.security.SecureRandom RUN_SUFFIX = new java.security.SecureRandom();

    private final SyncSettings settings;
    private final Map<String, ProfileConnections> connections = new LinkedHashMap<>();
    private final ModuleContext context;
    private final ReentrantLock running = new ReentrantLock();
    private final DeletedObjects deletedObjects;
    private volatile Thread warmUp;
    private static final String WARM_UP_DIR = "sync-warm-up";
    private static final long STOP_WAIT_MILLIS = 5_000;

    public DirectorySync(SyncSettings settings, List<ProfileConnections> profiles, ModuleContext context) {
        this.settings = settings;
        this.context = context;
        this.deletedObjects = new DeletedObjects(sweepSchedule(settings));
        profiles.forEach(c -> connections.put(c.profile().name(), c));
    }

    private static String sweepSchedule(SyncSettings s) {
        String age = "a delta sweeps when the last sweep is older than " + shortly(s.deletionSweepAge())
                + " (sync.deletionSweepAge)";
        return s.deletionSweep().isZero() ? age + "; no scheduled sweep (sync.deletionSweep=0s)"
                : "every " + shortly(s.deletionSweep()) + " (sync.deletionSweep), and " + age;
    }

    private static String shortly(java.time.Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Checks, for each synchronised Active Directory profile, whether its service account can read
     * deleted objects, and warns once with the grant that fixes it when it cannot. A failure is
     * logged, never thrown: the module starts anyway, and each delta probes again.
     */
    public void probeDeletedObjects() {
        for (String name : profiles()) {
            ProfileConnections c = connections.get(name);
            try {
                var root = c.pool().getRootDSE();
                if (root == null || !root.hasAttributeValue("supportedCapabilities", UsnReader.AD_CAPABILITY_OID)
                        || root.getAttributeValue("defaultNamingContext") == null) {
                    continue;
                }
                deletedObjects.record(name, c.profile().bindDn(),
                        DeletedObjects.probe(c.pool(), root.getAttributeValue("defaultNamingContext")));
            } catch (LDAPException e) {
                LOG.warn("Directory sync of profile {}: cannot check whether the service account can read deleted "
                        + "objects ({}); the next sync checks again", name, e.getMessage());
            }
        }
    }

    /**
     * Starts a warm-up ({@link SyncWarmUp}) of each profile without a baseline, on a thread of its own: its
     * next sync is a full one of every entry, the first in this JVM. The warm-up ends when a sync starts, and
     * at {@link #stopWarmUp}. A failure ends it with a line in the log: the sync works without it. Returns the
     * profiles being warmed up (none when {@code sync.warmUp=false}).
     */
    public List<String> warmUpFirstRuns() {
        SyncWarmUp.deleteQuietly(context.workDir().resolve(WARM_UP_DIR)); // left by a crash during an earlier one
        List<String> first = profiles().stream().filter(n -> Baseline.isEmpty(context.state(), n)).toList();
        if (first.isEmpty() || !settings.warmUp()) {
            return List.of();
        }
        Thread t = new Thread(() -> {
            for (String name : first) {
                ProfileConnections c = connections.get(name);
                long t0 = System.nanoTime();
                try {
                    BooleanSupplier stop = () -> running.isLocked() || Thread.currentThread().isInterrupted();
                    long n = SyncWarmUp.run(c, SyncQuery.of(c.profile(), settings.profiles().get(name),
                            settings.pageSize()), context.workDir().resolve(WARM_UP_DIR), settings.chunkEntries(),
                            settings.chunkBytes(), stop);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (stop.getAsBoolean()) {
                        LOG.info("Directory sync of profile {}: warm-up of the sync code ended after {} ms ({} copies of a "
                                + "sample of its entries) because a sync started or the module stopped", name, ms, n);
                        return;
                    }
                    LOG.info("Directory sync of profile {}: sync code warmed up for the first full sync in {} ms ({} copies "
                            + "of a sample of its entries, nothing sent)", name, ms, n);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.info("Directory sync of profile {}: warm-up ended early ({}); the first sync is not affected",
                            name, e.toString());
                }
            }
        }, "directory-sync-warm-up");
        t.setDaemon(true);
        warmUp = t;
        t.start();
        return first;
    }

    /**
     * Ends the warm-up, if one runs, and waits for it a few seconds: a sample search to a directory that does
     * not answer ignores the interrupt, and must not hold up the module's stop (closing the connections ends it).
     */
    public void stopWarmUp() throws InterruptedException {
        Thread t = warmUp;
        if (t != null) {
            t.interrupt();
            t.join(STOP_WAIT_MILLIS);
        }
    }

    /**
     * The scheduled deletion sweep under the customer-wide lease, its uploads fenced by it: a delta with a
     * sweep of every profile whose service account was last found unable to read deleted objects. Skipped
     * while another sync runs (that one sweeps when due).
     */
    public void runScheduledSweep(ModuleScheduler.Lease lease) {
        Set<String> blind = new java.util.LinkedHashSet<>();
        for (String name : profiles()) {
            if (Boolean.FALSE.equals(deletedObjects.visible(name))) {
                blind.add(name);
            }
        }
        if (blind.isEmpty()) {
            return;
        }
        try {
            run(false, blind, true, LeaseRuns.fenced(context.uploads(), lease));
        } catch (SyncBusyException e) {
            LOG.debug("Deletion sweep skipped: a sync is running");
        } catch (Exception e) {
            LOG.warn("Scheduled deletion sweep failed: {}; the next sync sweeps again", e.getMessage());
        }
    }

    /** The names of the synchronised profiles. */
    public Set<String> profiles() {
        return settings.profiles().keySet();
    }

    /**
     * The scheduled run under the customer-wide lease ({@link LeaseRuns}): a full run of every profile when
     * this extender has not completed a run under the lease's generation (another extender may have held
     * it meanwhile), else a delta; uploads are fenced, and a lost lease stops the run at the next chunk with
     * the baseline left as it was. Failures are logged, not thrown.
     */
    public void runScheduled(ModuleScheduler.Lease lease) {
        boolean full = LeaseRuns.mustRunFull(context.state(), lease);
        try {
            run(full, profiles(), false, LeaseRuns.fenced(context.uploads(), lease));
            LeaseRuns.completed(context.state(), lease);
        } catch (Exception e) {
            LOG.warn("Scheduled directory sync failed: {}; the next run sends the same changes again",
                    HostNameCheck.describe(e));
        }
    }

    /**
     * Synchronises {@code names}, one after the other.
     *
     * @throws SyncBusyException        when a sync is already running
     * @throws NotLeaseHolderException when another extender of the customer holds the sync's lease
     * @throws Exception                when the directory or an upload failed; the baseline of that profile
     *                           stays as it was (earlier profiles of this run keep their new baselines)
     */
    public List<SyncReport> run(boolean full, Set<String> names) throws Exception {
        // Under the same lease as the scheduled runs, and by the same rule (LeaseRuns): full for the first run
        // under a generation; only a run of every profile counts as this extender's completed run.
        ModuleScheduler.Lease lease = LeaseRuns.forRequest(context.scheduler(), LEASE, "the directory sync");
        List<SyncReport> reports = run(full || LeaseRuns.mustRunFull(context.state(), lease), names, false,
                LeaseRuns.fenced(context.uploads(), lease));
        if (names.containsAll(profiles())) {
            LeaseRuns.completed(context.state(), lease);
        }
        return reports;
    }

    private List<SyncReport> run(boolean full, Set<String> names, boolean sweep, BulkUploads uploads) throws Exception {
        if (!running.tryLock()) {
            throw new SyncBusyException();
        }
        try {
            List<SyncReport> reports = new ArrayList<>();
            for (String name : names) {
                reports.add(runProfile(name, full, sweep, uploads));
            }
            return reports;
        } finally {
            running.unlock();
        }
    }

    /** The held deletions of {@code profile}. */
    public ArrayNode held(String profile) {
        return HeldDeletes.held(context.state(), profile);
    }

    /**
     * Approves the deletions held for {@code profile}: its next sync sends up to that many deletions
     * regardless of the threshold. Returns how many were approved.
     *
     * @throws NotLeaseHolderException when another extender holds the sync's lease: it runs the sync, and an
     *                                 approval left here would apply, unseen, when the lease comes back
     */
    public int approve(String profile) throws NotLeaseHolderException {
        LeaseRuns.forRequest(context.scheduler(), LEASE, "allowing held deletions");
        int n = held(profile).size();
        if (n > 0) {
            context.state().put(HeldDeletes.approvedKey(profile), Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        }
        return n;
    }

    private SyncReport runProfile(String name, boolean requestedFull, boolean forceSweep, BulkUploads uploads)
            throws LDAPException,
            IOException, InterruptedException {
        ProfileConnections c = connections.get(name);
        Instant started = Instant.now();
        // Without a baseline every entry is sent: that is a full snapshot, and the cloud is told so.
        boolean noBaseline = Baseline.isEmpty(context.state(), name);
        boolean full = requestedFull || noBaseline;
        SyncQuery query = SyncQuery.of(c.profile(), settings.profiles().get(name), settings.pageSize());
        // Unique per run, so that chunk names never collide even for runs within one second.
        String runId = RUN_ID.format(Instant.now()) + "-" + Long.toHexString(RUN_SUFFIX.nextLong() & 0xffffffL);
        ObjectNode header = Json.object();
        header.put("module", "directory");
        header.put("profile", name);
        header.put("run", runId);
        header.put("mode", full ? "full" : "delta");
        Progress progress = new Progress(name);
        LOG.info("Directory sync of profile {} started ({})", name, full ? "full" : "delta");
        try (ChunkUploader chunks = new ChunkUploader(uploads, context.workDir().resolve("sync"),
                "directory-" + name + "-" + runId + "-", header, settings.chunkEntries(), settings.chunkBytes())) {
            // A first run has nothing to look up: 100,000 look-ups in an empty store cost a cold JVM 0.16 s.
            Function<String, byte[]> stored = noBaseline ? Changes.NOTHING_STORED : id -> Baseline.get(context.state(), name, id);
            // Member ranges are read on other pooled connections: a reader may be streaming on this one.
            Changes changes = new Changes(query, stored, full, chunks, c.pool(), progress);
            ReadResult result;
            IdSet swept = null;
            // Entries are encoded and uploaded on the sink's thread while the connection reads the next.
            try (BackgroundSink sink = new BackgroundSink(changes, HANDOFF_BATCH, HANDOFF_BATCHES,
                    "directory-sync-" + name)) {
                LDAPConnection conn = c.pool().getConnection();
                boolean healthy = false;
                try {
                    result = ChangeReaders.choose(conn, query, context.state(), deletedObjects).read(conn, sink, full);
                    // A delta that could not see deletions is trusted only for sync.deletionSweepAge.
                    if (!result.complete() && !result.deletionsVisible() && (forceSweep
                            || DeletionSweep.due(context.state(), name, settings.deletionSweepAge(), started))) {
                        swept = DeletionSweep.ids(conn, query);
                    }
                    healthy = true;
                } finally {
                    if (healthy) {
                        c.pool().releaseConnection(conn);
                    } else {
                        c.pool().releaseDefunctConnection(conn);
                    }
                }
                sink.finish();
            }
            // In key order: the store's B-tree takes a first run's hundred thousand new entries far
            // faster in order than at random.
            Map<String, byte[]> puts = new TreeMap<>(changes.puts());
            // After a complete read, what is left of the baseline was not seen: deleted, or out of scope.
            Map<String, byte[]> gone = new LinkedHashMap<>(changes.deletions());
            // After a complete read, a stored entry not reported was deleted or left the scope. The
            // baseline's size matters only for the deletion threshold, so a delta without deletions
            // never walks the baseline.
            boolean complete = result.complete();
            IdSet present = swept;
            int[] baselineSize = {0};
            if (complete || present != null || !gone.isEmpty()) {
                Baseline.forEach(context.state(), name, (id, v) -> {
                    baselineSize[0]++;
                    if ((complete || present != null && !present.contains(id)) && !changes.reported(id)) {
                        gone.putIfAbsent(id, v);
                    }
                });
            }
            Set<String> removals = new HashSet<>();
            long held = 0;
            long deleted = 0;
            int approved = HeldDeletes.approved(context.state(), name).orElse(0);
            if (!gone.isEmpty() && exceedsThreshold(gone.size(), baselineSize[0]) && gone.size() > approved) {
                ArrayNode list = Json.MAPPER.createArrayNode();
                gone.forEach((id, v) -> list.addObject().put("id", id).put("type", Baseline.kind(v).json()));
                puts.put(HeldDeletes.heldKey(name), HeldDeletes.encode(list));
                held = gone.size();
                LOG.warn("Directory sync of profile {}: {} deletions exceed the safety threshold ({} or {}% of {}); "
                        + "held back: list them with heldDeletes and send them with allowDeletes", name, held,
                        settings.deleteThreshold(), settings.deleteThresholdPercent(), baselineSize[0]);
            } else {
                for (Map.Entry<String, byte[]> e : gone.entrySet()) {
                    ObjectNode d = Json.object();
                    d.put("op", "delete");
                    d.put("type", Baseline.kind(e.getValue()).json());
                    d.put("id", e.getKey());
                    chunks.write(d);
                    removals.add(Baseline.prefix(name) + e.getKey());
                    deleted++;
                }
                removals.add(HeldDeletes.heldKey(name));
                // Held deletions must be reported again by the next read, so the position stays behind.
                puts.putAll(result.state());
                if (complete || present != null) {
                    puts.put(DeletionSweep.stateKey(name), DeletionSweep.stamp(started));
                }
            }
            removals.add(HeldDeletes.approvedKey(name));
            if (full) {
                chunks.writeEnd(RunEnd.line(complete && held == 0));
            }
            List<UploadReceipt> receipts = chunks.finish();
            // Every chunk is stored by the cloud: only now may the baseline (and the position) advance.
            context.state().update(puts, removals);
            Changes.Counts counts = changes.counts();
            SyncReport report = new SyncReport(name, full, result.method(), progress.entries(), counts.added,
                    counts.modified, counts.moved, deleted, held, counts.skipped, receipts, progress.elapsedMillis(),
                    deletionCheck(result, present));
            LOG.info("Directory sync of profile {} done ({}): {} entries read, {} added, {} modified, {} moved, "
                    + "{} deleted, {} deletions held, deletions found by {}, {} chunks, {} ms", name, report.method(),
                    report.entries(), report.added(), report.modified(), report.moved(), report.deleted(),
                    report.heldDeletes(), report.deletions(), receipts.size(), report.millis());
            context.metrics().count("sync.entries", progress.entries());
            context.metrics().time("sync", java.time.Duration.ofMillis(report.millis()));
            return report;
        }
    }

    /** How this run found deletions, for the report: see {@link SyncReport#deletions()}. */
    private static String deletionCheck(ReadResult result, IdSet swept) {
        if (result.complete()) {
            return "completeRead";
        }
        if (swept != null) {
            return "sweep";
        }
        return result.deletionsVisible() ? "reader" : "notChecked";
    }

    private boolean exceedsThreshold(int deletes, int baselineSize) {
        boolean overCount = settings.deleteThreshold() > 0 && deletes > settings.deleteThreshold();
        boolean overShare = settings.deleteThresholdPercent() > 0
                && deletes * 100L > (long) settings.deleteThresholdPercent() * baselineSize;
        return overCount || overShare;
    }

    /** Thrown when a sync is requested while one is running. */
    public static final class SyncBusyException extends Exception {
        private static final long serialVersionUID = 1L;

        SyncBusyException() {
            super("a directory sync is already running; try again when it ends");
        }
    }
}
