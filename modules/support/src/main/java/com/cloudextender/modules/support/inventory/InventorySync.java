package com.cloudextender.modules.support.inventory;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.lease.LeaseRuns;
import com.cloudextender.modules.support.lease.NotLeaseHolderException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronises one inventory of items of type {@code T} with the cloud: reads items from its
 * {@link InventorySource}, compares each item's content digest with the {@link HashBaseline}, writes the
 * changes (or, for a full run, every item) as gzip'd JSON-lines chunks, and uploads them. The baseline
 * and the source's position advance in one atomic state update only after every chunk was uploaded; a
 * failure before that leaves them as they were, so the next run sends the same changes again.
 * Deletions beyond the threshold are held back whole until {@link #approveHeld()}. One run at a time.
 * Thread-safe.
 *
 * <p>Records: {@code {"op":"upsert","change":"add|modify|unchanged","id",<the item's fields>}} and
 * {@code {"op":"delete","id"}}; each chunk starts with {@code {"op":"chunk","seq","module","inventory",
 * "run","mode"}}; a full run ends with the {@link RunEnd} record. The cloud infers a deletion from absence
 * only after a full run that says it was complete.
 *
 * @param <T> the item type
 */
public final class InventorySync<T> {
    private static final Logger LOG = LoggerFactory.getLogger(InventorySync.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RUN_SUFFIX = new SecureRandom();
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final InventorySettings settings;
    private final InventorySource<T> source;
    private final ItemFormat<T> format;
    private final ModuleContext context;
    private final HashBaseline baseline;
    private final HeldDeletions held;
    private final String positionPrefix;
    private final ReentrantLock running = new ReentrantLock();
    private volatile long progressEveryNanos = PROGRESS_EVERY_NANOS;

    public InventorySync(InventorySettings settings, InventorySource<T> source, ItemFormat<T> format,
                         ModuleContext context) {
        this.settings = settings;
        this.source = source;
        this.format = format;
        this.context = context;
        this.baseline = new HashBaseline(context.state(), settings.name());
        this.held = new HeldDeletions(context.state(), settings.name());
        this.positionPrefix = "inventory/" + settings.name() + "/pos/";
    }

    /** The inventory's settings. */
    public InventorySettings settings() {
        return settings;
    }

    /** How often progress is logged during a read (tests shorten it). */
    public void logProgressEvery(Duration every) {
        this.progressEveryNanos = every.toNanos();
    }

    /** The ids whose deletion is held back by the threshold. */
    public List<String> held() {
        return held.held();
    }

    /** Approves the held deletions for the next run; how many (0 when none are held). */
    public int approveHeld() {
        return held.approve();
    }

    /** The scheduled run: a delta; a failure is logged, not thrown. */
    public void runScheduled() {
        try {
            run(false);
        } catch (BusyException e) {
            LOG.info("Scheduled {} sync skipped: {}", settings.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Scheduled {} sync failed: {}; the next run sends the same changes again", settings.name(),
                    e.getMessage());
        }
    }

    /**
     * The scheduled run under a customer-wide lease ({@link LeaseRuns}): full when this extender has not
     * completed a run under the lease's generation, fenced uploads, stopped at the next chunk when the
     * lease is lost (nothing committed then). A failure is logged, not thrown.
     */
    public void runScheduled(ModuleScheduler.Lease lease) {
        boolean full = LeaseRuns.mustRunFull(context.state(), lease);
        try {
            run(full, LeaseRuns.fenced(context.uploads(), lease));
            LeaseRuns.completed(context.state(), lease);
        } catch (BusyException e) {
            LOG.info("Scheduled {} sync skipped: {}", settings.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Scheduled {} sync failed: {}; the next run sends the same changes again", settings.name(),
                    e.getMessage());
        }
    }

    /**
     * A run a command asked for, under the customer-wide lease {@code lease} that the scheduled runs use, and
     * by the same rule ({@link LeaseRuns}): full when this extender has not completed a run under the lease's
     * generation, uploads fenced.
     *
     * @throws NotLeaseHolderException when another extender of the customer holds the lease
     * @throws BusyException           when a run is in progress
     * @throws Exception               when the read or an upload failed; nothing was committed
     */
    public InventoryReport runOnRequest(boolean full, String lease) throws Exception {
        ModuleScheduler.Lease held = LeaseRuns.forRequest(context.scheduler(), lease,
                "the " + settings.module() + " " + settings.name() + " sync");
        InventoryReport report = run(full || LeaseRuns.mustRunFull(context.state(), held),
                LeaseRuns.fenced(context.uploads(), held));
        LeaseRuns.completed(context.state(), held);
        return report;
    }

    /**
     * Runs once.
     *
     * @param full true to send every item (a snapshot), false to send the changes only
     * @throws BusyException when a run is in progress
     * @throws Exception     when the read or an upload failed; nothing was committed
     */
    public InventoryReport run(boolean full) throws Exception {
        return run(full, context.uploads());
    }

    private InventoryReport run(boolean full, BulkUploads uploads) throws Exception {
        if (!running.tryLock()) {
            throw new BusyException(settings.name());
        }
        try {
            return runLocked(full, uploads);
        } finally {
            running.unlock();
        }
    }

    private InventoryReport runLocked(boolean full, BulkUploads uploads) throws Exception {
        String runId = RUN_ID.format(Instant.now()) + "-" + Long.toHexString(RUN_SUFFIX.nextLong() & 0xffffffL);
        ObjectNode header = Json.object();
        header.put("module", settings.module());
        header.put("inventory", settings.name());
        header.put("run", runId);
        header.put("mode", full ? "full" : "delta");
        String label = settings.module() + " " + settings.name() + " sync";
        InventoryProgress progress = new InventoryProgress(label, progressEveryNanos);
        LOG.info("{} started ({})", label, full ? "full" : "delta");
        Map<String, byte[]> position = new HashMap<>();
        context.state().forEach(positionPrefix, (k, v) -> position.put(k.substring(positionPrefix.length()), v));
        try (ChunkUploader chunks = new ChunkUploader(uploads, context.workDir().resolve("inventory"),
                settings.module() + "-" + settings.name() + "-" + runId + "-", header, settings.chunkRecords(),
                settings.chunkBytes())) {
            Comparer comparer = new Comparer(full, chunks, progress);
            ReadResult result = source.read(full, Map.copyOf(position), comparer);
            Map<String, byte[]> puts = new TreeMap<>(comparer.puts);
            Set<String> gone = new LinkedHashSet<>(comparer.deletions);
            long[] baselineSize = {0};
            if (result.complete() || !gone.isEmpty()) {
                baseline.forEach((id, v) -> {
                    baselineSize[0]++;
                    if (result.complete() && !comparer.seen.contains(id)) {
                        gone.add(id);
                    }
                });
            }
            Set<String> removals = new HashSet<>();
            long deleted = 0;
            long heldBack = 0;
            if (!gone.isEmpty() && settings.exceedsThreshold(gone.size(), baselineSize[0])
                    && gone.size() > held.approved()) {
                puts.put(held.heldKey, HeldDeletions.encode(gone));
                heldBack = gone.size();
                LOG.warn("{}: {} deletions exceed the threshold ({} or {}% of {}); held back until allowed", label,
                        heldBack, settings.deleteThreshold(), settings.deleteThresholdPercent(), baselineSize[0]);
            } else {
                for (String id : gone) {
                    chunks.write(deleteLine(id));
                    removals.add(baseline.key(id));
                    deleted++;
                }
                removals.add(held.heldKey);
                // Held deletions must be found again by the next read, so the position only moves on here.
                result.position().forEach((k, v) -> puts.put(positionPrefix + k, v));
            }
            removals.add(held.approvedKey);
            if (full) {
                chunks.writeEnd(RunEnd.line(result.complete() && heldBack == 0));
            }
            List<UploadReceipt> receipts = chunks.finish();
            // Every chunk is stored by the cloud: only now may the baseline and the position advance.
            context.state().update(puts, removals);
            InventoryReport report = new InventoryReport(settings.name(), full, result.method(), progress.items(),
                    comparer.added, comparer.modified, comparer.unchanged, deleted, heldBack, chunks.recordBytes(),
                    receipts, progress.elapsedMillis());
            LOG.info("{} done ({}): {} read, {} added, {} modified, {} deleted, {} deletions held, {} chunks, {} ms",
                    label, report.method(), report.read(), report.added(), report.modified(), report.deleted(),
                    report.heldDeletes(), receipts.size(), report.millis());
            context.metrics().count(settings.name() + ".items", progress.items());
            context.metrics().time(settings.name() + ".sync", Duration.ofMillis(report.millis()));
            return report;
        }
    }

    private static byte[] deleteLine(String id) {
        return ("{\"op\":\"delete\",\"id\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(id))
                + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The sync's side of the read: compares, writes, and remembers what changed and what was seen. */
    private final class Comparer implements ItemSink<T> {
        private static final byte[] UPSERT = "{\"op\":\"upsert\",\"change\":\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ID = "\",\"id\":\"".getBytes(StandardCharsets.US_ASCII);

        private final boolean full;
        private final ChunkUploader chunks;
        private final InventoryProgress progress;
        private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
        private final JsonGenerator generator;
        final Map<String, byte[]> puts = new HashMap<>();
        final Set<String> deletions = new LinkedHashSet<>();
        final Set<String> seen = new HashSet<>();
        long added;
        long modified;
        long unchanged;

        Comparer(boolean full, ChunkUploader chunks, InventoryProgress progress) throws IOException {
            this.full = full;
            this.chunks = chunks;
            this.progress = progress;
            this.generator = Json.MAPPER.getFactory().createGenerator(buffer);
            generator.setRootValueSeparator(null);
        }

        @Override
        public void item(T item) throws IOException, InterruptedException {
            progress.item();
            String id = format.id(item);
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException(settings.name() + ": an item without an id was read");
            }
            if (!seen.add(id)) {
                return; // reported twice (pages that shifted while read): the first one counts
            }
            deletions.remove(id);
            byte[] content = encode(item);
            byte[] digest = HashBaseline.digest(content, 0, content.length);
            byte[] before = baseline.get(id);
            String change = before == null ? "add" : java.util.Arrays.equals(before, digest) ? "unchanged" : "modify";
            switch (change) {
                case "add" -> added++;
                case "modify" -> modified++;
                default -> unchanged++;
            }
            if (!change.equals("unchanged")) {
                puts.put(baseline.key(id), digest);
            }
            if (full || !change.equals("unchanged")) {
                ByteArrayBuilder line = new ByteArrayBuilder(content.length + id.length() + 48);
                line.write(UPSERT);
                line.write(change.getBytes(StandardCharsets.US_ASCII));
                line.write(ID);
                line.write(JsonStringEncoder.getInstance().quoteAsUTF8(id));
                line.append('"');
                if (content.length > 2) {
                    line.append(',');
                }
                line.write(content, 1, content.length - 1); // the fields and the closing brace
                line.append('\n');
                chunks.write(line.toByteArray());
            }
        }

        @Override
        public void present(String id) {
            seen.add(id);
        }

        @Override
        public void deleted(String id) {
            puts.remove(baseline.key(id));
            seen.remove(id);
            if (baseline.get(id) != null) {
                deletions.add(id);
            }
        }

        private byte[] encode(T item) throws IOException {
            buffer.reset();
            generator.writeStartObject();
            format.writeFields(item, generator);
            generator.writeEndObject();
            generator.flush();
            return buffer.toByteArray();
        }
    }

    /** Thrown when a run is requested while one is in progress. */
    public static final class BusyException extends Exception {
        private static final long serialVersionUID = 1L;

        BusyException(String name) {
            super("a " + name + " sync is already running; try again when it ends");
        }
    }
}
