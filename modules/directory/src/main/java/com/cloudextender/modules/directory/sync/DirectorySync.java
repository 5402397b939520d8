package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Json;
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

    /** Entries handed to the encoding thread at once, and how many such batches may wait: about 1,000 entries. */
    private static final int HANDOFF_BATCH = 256;
    private static final int HANDOFF_BATCHES = 4;

    private static final java.security.SecureRandom RUN_SUFFIX = new java.security.SecureRandom();

    private final SyncSettings settings;
    private final Map<String, ProfileConnections> connections = new LinkedHashMap<>();
    private final ModuleContext context;
    private final ReentrantLock running = new ReentrantLock();

    public DirectorySync(SyncSettings settings, List<ProfileConnections> profiles, ModuleContext context) {
        this.settings = settings;
        this.context = context;
        profiles.forEach(c -> connections.put(c.profile().name(), c));
    }

    /** The names of the synchronised profiles. */
    public Set<String> profiles() {
        return settings.profiles().keySet();
    }

    /** The scheduled run: a delta of every synchronised profile; failures are logged, not thrown. */
    public void runScheduled() {
        try {
            run(false, profiles());
        } catch (Exception e) {
            LOG.warn("Scheduled directory sync failed: {}; the next run sends the same changes again", e.getMessage());
        }
    }

    /**
     * Synchronises {@code names}, one after the other.
     *
     * @throws SyncBusyException when a sync is already running
     * @throws Exception         when the directory or an upload failed; the baseline of that profile
     *                           stays as it was (earlier profiles of this run keep their new baselines)
     */
    public List<SyncReport> run(boolean full, Set<String> names) throws Exception {
        if (!running.tryLock()) {
            throw new SyncBusyException();
        }
        try {
            List<SyncReport> reports = new ArrayList<>();
            for (String name : names) {
                reports.add(runProfile(name, full));
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
     */
    public int approve(String profile) {
        int n = held(profile).size();
        if (n > 0) {
            context.state().put(HeldDeletes.approvedKey(profile), Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        }
        return n;
    }

    private SyncReport runProfile(String name, boolean requestedFull) throws LDAPException, IOException,
            InterruptedException {
        ProfileConnections c = connections.get(name);
        // Without a baseline every entry is sent: that is a full snapshot, and the cloud is told so.
        boolean full = requestedFull || Baseline.isEmpty(context.state(), name);
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
        try (ChunkUploader chunks = new ChunkUploader(context.uploads(), context.workDir().resolve("sync"),
                "directory-" + name + "-" + runId + "-", header, settings.chunkEntries(), settings.chunkBytes())) {
            // Member ranges are read on other pooled connections: a reader may be streaming on this one.
            Changes changes = new Changes(query, id -> Baseline.get(context.state(), name, id), full, chunks, c.pool(),
                    progress);
            ReadResult result;
            // Entries are encoded and uploaded on the sink's thread while the connection reads the next.
            try (BackgroundSink sink = new BackgroundSink(changes, HANDOFF_BATCH, HANDOFF_BATCHES,
                    "directory-sync-" + name)) {
                LDAPConnection conn = c.pool().getConnection();
                boolean healthy = false;
                try {
                    result = ChangeReaders.choose(conn, query, context.state()).read(conn, sink, full);
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
            int[] baselineSize = {0};
            if (complete || !gone.isEmpty()) {
                Baseline.forEach(context.state(), name, (id, v) -> {
                    baselineSize[0]++;
                    if (complete && !changes.reported(id)) {
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
            }
            removals.add(HeldDeletes.approvedKey(name));
            List<UploadReceipt> receipts = chunks.finish();
            // Every chunk is stored by the cloud: only now may the baseline (and the position) advance.
            context.state().update(puts, removals);
            Changes.Counts counts = changes.counts();
            SyncReport report = new SyncReport(name, full, result.method(), progress.entries(), counts.added,
                    counts.modified, counts.moved, deleted, held, counts.skipped, receipts, progress.elapsedMillis());
            LOG.info("Directory sync of profile {} done ({}): {} entries read, {} added, {} modified, {} moved, "
                    + "{} deleted, {} deletions held, {} chunks, {} ms", name, report.method(), report.entries(),
                    report.added(), report.modified(), report.moved(), report.deleted(), report.heldDeletes(),
                    receipts.size(), report.millis());
            context.metrics().count("sync.entries", progress.entries());
            context.metrics().time("sync", java.time.Duration.ofMillis(report.millis()));
            return report;
        }
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
