package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.directory.command.Json;
import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.config.SyncSettings;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.cloudextender.modules.directory.lookup.StableIds;
import com.cloudextender.modules.directory.lookup.UserFinder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user visibility sync: reads OUs, users and groups under the included subtrees page by page,
 * compares each entry with the compact {@link Baseline}, and uploads the changes (or, for a full run,
 * everything) as gzip'd JSON-lines chunks. The baseline advances only after every chunk was uploaded,
 * in one atomic state update; any failure before that leaves it as it was, so the next run sends the
 * same changes again. Deletions beyond the safety threshold are held back whole until approved.
 * One sync runs at a time. Thread-safe.
 *
 * <p>Records: {@code {"op":"upsert","change":"add|modify|move|unchanged","type":"ou|user|group","id",
 * "dn",...}}, {@code {"op":"members","id","members":[..]}} after a group (several lines for a large
 * group), and {@code {"op":"delete","type","id"}}. The cloud never infers a deletion from absence.
 */
public final class DirectorySync {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySync.class);
    private static final int MEMBERS_PER_LINE = 1000;
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

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

    private SyncReport runProfile(String name, boolean full) throws LDAPException, IOException, InterruptedException {
        ProfileConnections c = connections.get(name);
        SyncSettings.Scope scope = settings.profiles().get(name);
        ProfileSettings profile = c.profile();
        Map<String, byte[]> baseline = Baseline.load(context.state(), name);
        int baselineSize = baseline.size();
        // Unique per run, so that chunk names never collide even for runs within one second.
        String runId = RUN_ID.format(Instant.now()) + "-" + Long.toHexString(RUN_SUFFIX.nextLong() & 0xffffffL);
        ObjectNode header = Json.object();
        header.put("module", "directory");
        header.put("profile", name);
        header.put("run", runId);
        header.put("mode", full ? "full" : "delta");
        Progress progress = new Progress(name);
        Counts counts = new Counts();
        Map<String, byte[]> puts = new HashMap<>();
        Set<String> seen = new HashSet<>();
        LOG.info("Directory sync of profile {} started ({}, baseline of {} entries)", name,
                full ? "full" : "delta", baselineSize);
        try (ChunkUploader chunks = new ChunkUploader(context.uploads(), context.workDir().resolve("sync"),
                "directory-" + name + "-" + runId + "-", header, settings.chunkEntries(), settings.chunkBytes())) {
            LDAPConnection conn = c.pool().getConnection();
            boolean healthy = false;
            try {
                for (DN base : scope.includeOus()) {
                    scan(conn, profile, scope, base, entry -> {
                        progress.entry();
                        if (scope.excluded(entry.getParsedDN())) {
                            return;
                        }
                        var id = StableIds.of(entry, profile);
                        if (id.isEmpty()) {
                            counts.skipped++;
                            LOG.debug("Directory sync: {} has no {}; skipped", entry.getDN(), profile.idAttribute());
                            return;
                        }
                        if (!seen.add(id.get())) {
                            return; // overlapping include subtrees
                        }
                        EntryRecord rec = EntryRecord.of(entry, id.get(), profile, scope, conn);
                        byte[] value = Baseline.value(rec.kind(), rec.dn(), rec.contentDigest());
                        byte[] before = baseline.remove(rec.id());
                        String change = before == null ? "add"
                                : !Baseline.sameContent(before, value) ? "modify"
                                : !Baseline.sameDn(before, value) ? "move" : "unchanged";
                        switch (change) {
                            case "add" -> counts.added++;
                            case "modify" -> counts.modified++;
                            case "move" -> counts.moved++;
                            default -> { }
                        }
                        if (!change.equals("unchanged")) {
                            puts.put(Baseline.prefix(name) + rec.id(), value);
                        }
                        if (full || !change.equals("unchanged")) {
                            write(chunks, rec, change);
                        }
                    });
                }
                healthy = true;
            } finally {
                if (healthy) {
                    c.pool().releaseConnection(conn);
                } else {
                    c.pool().releaseDefunctConnection(conn);
                }
            }
            // What is left of the baseline was not seen: deleted, or moved out of scope.
            Set<String> removals = new HashSet<>();
            long held = 0;
            long deleted = 0;
            int approved = HeldDeletes.approved(context.state(), name).orElse(0);
            if (!baseline.isEmpty() && exceedsThreshold(baseline.size(), baselineSize) && baseline.size() > approved) {
                ArrayNode list = Json.MAPPER.createArrayNode();
                baseline.forEach((id, v) -> list.addObject().put("id", id).put("type", Baseline.kind(v).json()));
                puts.put(HeldDeletes.heldKey(name), HeldDeletes.encode(list));
                held = baseline.size();
                LOG.warn("Directory sync of profile {}: {} deletions exceed the safety threshold ({} or {}% of {}); "
                        + "held back: list them with heldDeletes and send them with allowDeletes", name, held,
                        settings.deleteThreshold(), settings.deleteThresholdPercent(), baselineSize);
            } else {
                for (Map.Entry<String, byte[]> e : baseline.entrySet()) {
                    ObjectNode d = Json.object();
                    d.put("op", "delete");
                    d.put("type", Baseline.kind(e.getValue()).json());
                    d.put("id", e.getKey());
                    chunks.write(d);
                    removals.add(Baseline.prefix(name) + e.getKey());
                    deleted++;
                }
                removals.add(HeldDeletes.heldKey(name));
            }
            removals.add(HeldDeletes.approvedKey(name));
            List<UploadReceipt> receipts = chunks.finish();
            // Every chunk is stored by the cloud: only now may the baseline advance.
            context.state().update(puts, removals);
            SyncReport report = new SyncReport(name, full, progress.entries(), counts.added, counts.modified,
                    counts.moved, deleted, held, counts.skipped, receipts, progress.elapsedMillis());
            LOG.info("Directory sync of profile {} done: {} entries read, {} added, {} modified, {} moved, {} deleted, "
                    + "{} deletions held, {} chunks, {} ms", name, report.entries(), report.added(), report.modified(),
                    report.moved(), report.deleted(), report.heldDeletes(), receipts.size(), report.millis());
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

    private static void write(ChunkUploader chunks, EntryRecord rec, String change) throws IOException, InterruptedException {
        ObjectNode r = Json.object();
        r.put("op", "upsert");
        r.put("change", change);
        r.put("dn", rec.dn());
        r.setAll(rec.record());
        chunks.write(r);
        for (int i = 0; i < rec.members().size(); i += MEMBERS_PER_LINE) {
            ObjectNode m = Json.object();
            m.put("op", "members");
            m.put("id", rec.id());
            ArrayNode arr = m.putArray("members");
            rec.members().subList(i, Math.min(rec.members().size(), i + MEMBERS_PER_LINE)).forEach(arr::add);
            chunks.write(m);
        }
    }

    /** Reads {@code base}'s subtree one page at a time on one connection (paged cookies are per connection). */
    private void scan(LDAPConnection conn, ProfileSettings profile, SyncSettings.Scope scope, DN base,
                      EntryVisitor visitor) throws LDAPException, IOException, InterruptedException {
        Filter filter = Filter.createORFilter(
                Filter.createEqualityFilter("objectClass", "organizationalUnit"),
                Filter.createEqualityFilter("objectClass", "container"),
                profile.userFilter(), profile.groupFilter());
        Set<String> attrs = new LinkedHashSet<>(scope.userAttributes());
        attrs.addAll(UserFinder.attributes(profile));
        attrs.add("objectClass");
        attrs.add(profile.memberAttribute());
        ASN1OctetString cookie = null;
        do {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("directory sync cancelled");
            }
            SearchRequest r = new SearchRequest(base.toString(), SearchScope.SUB, filter, attrs.toArray(String[]::new));
            r.addControl(new SimplePagedResultsControl(settings.pageSize(), cookie, true));
            SearchResult page = conn.search(r);
            for (SearchResultEntry e : page.getSearchEntries()) {
                visitor.visit(e);
            }
            SimplePagedResultsControl ctl = SimplePagedResultsControl.get(page);
            cookie = ctl != null && ctl.moreResultsToReturn() ? ctl.getCookie() : null;
        } while (cookie != null);
    }

    @FunctionalInterface
    private interface EntryVisitor {
        void visit(SearchResultEntry entry) throws LDAPException, IOException, InterruptedException;
    }

    private static final class Counts {
        long added;
        long modified;
        long moved;
        long skipped;
    }

    /** Thrown when a sync is requested while one is running. */
    public static final class SyncBusyException extends Exception {
        private static final long serialVersionUID = 1L;

        SyncBusyException() {
            super("a directory sync is already running; try again when it ends");
        }
    }
}
