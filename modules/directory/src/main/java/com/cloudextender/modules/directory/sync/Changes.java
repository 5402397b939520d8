package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.lookup.StableIds;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync's side of a read: compares each reported entry with the {@link Baseline} (taking it out of
 * the loaded baseline, so that what is left after a complete read was not seen), writes the records
 * of a delta's changes (or of every entry in a full run), and collects the new baseline values and
 * the deletions. Entries outside the sync scope count as deletions. Not thread-safe; a reader calls it
 * from one thread at a time.
 */
final class Changes implements ChangeSink {
    private static final Logger LOG = LoggerFactory.getLogger(Changes.class);
    private static final int MEMBERS_PER_LINE = 1000;

    private final SyncQuery query;
    private final Map<String, byte[]> baseline;
    private final boolean full;
    private final ChunkUploader chunks;
    private final LDAPInterface ranges;
    private final Progress progress;
    private final String prefix;
    private final Map<String, byte[]> puts = new HashMap<>();
    private final Map<String, byte[]> deletions = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Counts counts = new Counts();

    /** How many entries of each kind of change were seen. */
    static final class Counts {
        long added;
        long modified;
        long moved;
        long skipped;
    }

    /**
     * @param baseline the loaded baseline; entries seen are removed from it
     * @param ranges   where the remaining member ranges of a large group are read
     */
    Changes(SyncQuery query, Map<String, byte[]> baseline, boolean full, ChunkUploader chunks, LDAPInterface ranges,
            Progress progress) {
        this.query = query;
        this.baseline = baseline;
        this.full = full;
        this.chunks = chunks;
        this.ranges = ranges;
        this.progress = progress;
        this.prefix = Baseline.prefix(query.profile().name());
    }

    @Override
    public void entry(SearchResultEntry entry) throws LDAPException, IOException, InterruptedException {
        progress.entry();
        var id = StableIds.of(entry, query.profile());
        if (id.isEmpty()) {
            counts.skipped++;
            LOG.debug("Directory sync: {} has no {}; skipped", entry.getDN(), query.profile().idAttribute());
            return;
        }
        if (!query.inScope(entry.getParsedDN())) {
            deleted(id.get()); // moved out of scope, or never in it (then not in the baseline either)
            return;
        }
        if (!seen.add(id.get())) {
            return; // overlapping include subtrees, or an entry reported again after a restarted read
        }
        EntryRecord rec = EntryRecord.of(entry, id.get(), query.profile(), query.scope(), ranges);
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
            puts.put(prefix + rec.id(), value);
        }
        if (full || !change.equals("unchanged")) {
            write(rec, change);
        }
    }

    @Override
    public void present(String id) {
        seen.add(id);
        baseline.remove(id);
    }

    @Override
    public void deleted(String id) {
        byte[] before = baseline.remove(id);
        if (before == null) {
            before = puts.remove(prefix + id); // reported, then deleted during the same read
        }
        if (before != null) {
            deletions.put(id, before);
        }
    }

    /** The new baseline values, by state key. */
    Map<String, byte[]> puts() {
        return puts;
    }

    /** Entries of the baseline reported deleted or out of scope: id to baseline value. */
    Map<String, byte[]> deletions() {
        return deletions;
    }

    Counts counts() {
        return counts;
    }

    private void write(EntryRecord rec, String change) throws IOException, InterruptedException {
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
}
