package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.inventory.ChunkUploader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a profile's per-entry sync code over copies of a few of its real entries before its first sync,
 * so that the JVM compiles that code while the extender is idle rather than during the first sync: in a
 * new JVM the compiler's work on it took about one of two cores for the whole of a first sync of 100,000
 * entries. Copies of real entries, not made-up ones, so that the compiled code fits the profile's data
 * (its attributes, kinds and id type) and is not thrown away when the real entries come. Nothing leaves
 * the extender: the records are encoded, compressed into files of {@code dir} and deleted, and no baseline
 * is written. The directory sees three searches of a few entries each: the sample. Groups are copied a tenth as
 * often as users and OUs, and big ones not at all, so that a round's cost does not grow with group sizes.
 *
 * <p>Rounds of {@value #ROUND} copies run until {@value #QUIET_ROUNDS} rounds in a row spent less than a
 * tenth of their time compiling (at least {@value #MIN_ROUNDS}, at most {@value #MAX_ROUNDS} rounds), or
 * until {@code stop} says so. Without compilation times from the JVM, all rounds run.
 */
final class SyncWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(SyncWarmUp.class);
    private static final int SAMPLE_USERS = 150;
    private static final int SAMPLE_OTHERS = 25;
    /** How many times each sampled user or OU is copied for each copy of a sampled group. */
    private static final int RARITY = 10;
    /** Groups with more members than this are left out of the sample. */
    private static final int MAX_MEMBERS = 2_000;
    private static final int ROUND = 10_000;
    private static final int MIN_ROUNDS = 5;
    private static final int MAX_ROUNDS = 30;
    /** Rounds in a row with compilation (by all threads of the JVM) under a tenth of their time end the warm-up. */
    private static final int QUIET_ROUNDS = 3;
    private static final BulkUploads DISCARD = (file, name, type) -> new UploadReceipt(name, "", 0);

    private SyncWarmUp() {
    }

    /**
     * Warms up {@code query}'s code on copies of a sample of its entries; returns how many copies were encoded
     * as new entries (0 when the scope holds no entry).
     *
     * @param dir  where the discarded chunks are written; deleted when done
     * @param stop true when the warm-up must end (a sync started, or the module stops); asked before each copy
     */
    static long run(ProfileConnections c, SyncQuery query, Path dir, int chunkEntries, long chunkBytes,
                    BooleanSupplier stop) throws LDAPException, IOException, InterruptedException {
        List<SearchResultEntry> sample = sample(c, query);
        if (sample.isEmpty()) {
            return 0;
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long copies = 0;
        int quiet = 0;
        try {
            for (int round = 0; round < MAX_ROUNDS && !stop.getAsBoolean(); round++) {
                long jit0 = timed ? jit.getTotalCompilationTime() : 0;
                long r0 = System.nanoTime();
                copies += round(c, query, sample, copies, dir, chunkEntries, chunkBytes, stop);
                long roundMs = (System.nanoTime() - r0) / 1_000_000;
                long jitMs = timed ? jit.getTotalCompilationTime() - jit0 : roundMs;
                LOG.debug("Sync warm-up of profile {}, round {}: {} ms, {} ms of compilation", query.profile().name(),
                        round + 1, roundMs, jitMs);
                // The JVM's whole compilation time: not only this code's, so a busy JVM keeps the warm-up longer.
                quiet = jitMs * 10 <= roundMs ? quiet + 1 : 0;
                if (round + 1 >= MIN_ROUNDS && quiet >= QUIET_ROUNDS) {
                    break;
                }
            }
        } finally {
            deleteQuietly(dir);
        }
        return copies;
    }

    private static long round(ProfileConnections c, SyncQuery query, List<SearchResultEntry> sample, long first,
                              Path dir, int chunkEntries, long chunkBytes, BooleanSupplier stop)
            throws LDAPException, IOException, InterruptedException {
        ObjectNode header = Json.object();
        header.put("module", "directory");
        header.put("warmUp", true);
        try (ChunkUploader chunks = new ChunkUploader(DISCARD, dir, "warm-up-", header, chunkEntries, chunkBytes)) {
            Changes changes = new Changes(query, Changes.NOTHING_STORED, true, chunks, c.pool(),
                    new Progress(query.profile().name() + " (warm-up)"));
            try (BackgroundSink sink = new BackgroundSink(changes, DirectorySync.HANDOFF_BATCH,
                    DirectorySync.HANDOFF_BATCHES, "directory-sync-warm-up-encoder")) {
                for (long n = 0; n < ROUND && !stop.getAsBoolean(); n++) {
                    sink.entry(copy(sample.get((int) (n % sample.size())), query, first + n));
                }
                sink.finish();
            }
            chunks.finish();
            return changes.counts().added;
        }
    }

    /**
     * Up to a few of each kind the sync reads (users, groups, OUs) in scope, so that every kind's code path is
     * taken: a path first taken by the real sync would make the JVM throw the compiled code away.
     */
    static List<SearchResultEntry> sample(ProfileConnections c, SyncQuery query) throws LDAPException {
        List<SearchResultEntry> users = search(c, query, query.profile().userFilter(), SAMPLE_USERS);
        List<SearchResultEntry> groups = search(c, query, query.profile().groupFilter(), SAMPLE_OTHERS);
        List<SearchResultEntry> ous = search(c, query, Filter.createORFilter(
                Filter.createEqualityFilter("objectClass", "organizationalUnit"),
                Filter.createEqualityFilter("objectClass", "container")), SAMPLE_OTHERS);
        // Users and OUs come RARITY times each, groups once: a group's copy costs as much as its members, and
        // in a directory groups are a small share of the entries.
        List<SearchResultEntry> sample = new ArrayList<>();
        for (List<SearchResultEntry> kind : List.of(users, groups, ous)) {
            for (SearchResultEntry e : kind) {
                if (usable(e, query)) {
                    for (int i = kind == groups ? RARITY - 1 : 0; i < RARITY; i++) {
                        sample.add(e);
                    }
                }
            }
        }
        Collections.shuffle(sample, new Random(sample.size()));
        return sample;
    }

    /**
     * In scope, and not a group with members in ranges (each copy would read the remaining ranges from the
     * server) or with more than {@value #MAX_MEMBERS} members (each copy would encode them all).
     */
    private static boolean usable(SearchResultEntry e, SyncQuery query) throws LDAPException {
        if (!query.inScope(e.getParsedDN())) {
            return false;
        }
        for (Attribute a : e.getAttributes()) {
            if (a.getName().contains(";range=") || a.size() > MAX_MEMBERS) {
                return false;
            }
        }
        return true;
    }

    private static List<SearchResultEntry> search(ProfileConnections c, SyncQuery query, Filter filter, int limit)
            throws LDAPException {
        SearchRequest r = new SearchRequest(query.searchBase().toString(), SearchScope.SUB, filter,
                query.attributes());
        r.setSizeLimit(limit);
        try {
            return c.pool().search(r).getSearchEntries();
        } catch (LDAPSearchException e) {
            return e.getSearchEntries(); // the size limit: what came before it is the sample
        }
    }

    /** Deletes {@code dir} and the chunks in it, if any: after a warm-up, and at start after a crash during one. */
    static void deleteQuietly(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("Sync warm-up: could not delete {} ({})", dir, e.toString());
        }
    }

    /** {@code e} under another stable id, so that each copy counts as a new entry. */
    private static SearchResultEntry copy(SearchResultEntry e, SyncQuery query, long n) {
        String idAttribute = query.profile().idAttribute();
        Entry d = e.duplicate();
        if (query.profile().binaryId()) {
            byte[] id = ByteBuffer.allocate(16).putLong(0x5741524d55500000L).putLong(n).array();
            d.setAttribute(new Attribute(idAttribute, id));
        } else {
            d.setAttribute(idAttribute, new UUID(0x5741524d55500000L, n).toString()); // ids are UUIDs in practice
        }
        return new SearchResultEntry(e.getMessageID(), d, e.getControls());
    }
}
