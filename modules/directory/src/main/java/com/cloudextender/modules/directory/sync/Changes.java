package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.lookup.StableIds;
import com.cloudextender.modules.directory.mapping.UserObject;
import com.cloudextender.modules.support.inventory.ChunkUploader;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync's side of a read: compares each reported entry with its stored {@link Baseline} value,
 * writes the records of a delta's changes (or of every entry in a full run), and collects the new
 * baseline values and the deletions. It remembers which entries were reported (as entries or as
 * present), so that after a complete read the stored entries not reported are known to be gone.
 * Entries outside the sync scope count as deletions. Not thread-safe; a reader calls it from one
 * thread at a time.
 */
final class Changes implements ChangeSink {
    private static final Logger LOG = LoggerFactory.getLogger(Changes.class);
    /** The stored values of a profile without a baseline: none. One function for every such run, warm-up included. */
    static final Function<String, byte[]> NOTHING_STORED = id -> null;
    private static final int MEMBERS_PER_LINE = 1000;
    private static final byte[] UPSERT_CHANGE = "{\"op\":\"upsert\",\"change\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DN_FIELD = "\",\"dn\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final Map<String, byte[]> CHANGE_BYTES = Map.of("add", ascii("add"), "modify", ascii("modify"),
            "move", ascii("move"), "unchanged", ascii("unchanged"));

    private final SyncQuery query;
    private final Function<String, byte[]> stored;
    private final boolean full;
    private final ChunkUploader chunks;
    private final LDAPInterface ranges;
    private final Progress progress;
    private final String prefix;
    /**
     * In key order as they arrive: the sync hands them to the store's B-tree in key order, and copying
     * a sorted map into a TreeMap is one linear pass. Sorting here, on the encoding thread while the
     * connection reads, replaced a sort of a first run's 100,000 keys after the read, when the other
     * core had nothing to do.
     */
    private final TreeMap<String, byte[]> puts = new TreeMap<>();
    private final Map<String, byte[]> deletions = new LinkedHashMap<>();
    private final IdSet seen = new IdSet();
    private final RecordEncoder encoder = new RecordEncoder();
    private final ParentDns parents;
    /** One upsert line at a time, reused: a new buffer and a copy of it per entry cost more than the bytes. */
    private byte[] line = new byte[8192];
    private final Counts counts = new Counts();

    /** How many entries of each kind of change were seen. */
    static final class Counts {
        long added;
        long modified;
        long moved;
        long skipped;
    }

    /**
     * @param stored a stable id's stored baseline value, or null when it has none
     * @param ranges where the remaining member ranges of a large group are read
     */
    Changes(SyncQuery query, Function<String, byte[]> stored, boolean full, ChunkUploader chunks, LDAPInterface ranges,
            Progress progress) {
        this.query = query;
        this.stored = stored;
        this.full = full;
        this.chunks = chunks;
        this.ranges = ranges;
        this.progress = progress;
        this.prefix = Baseline.prefix(query.profile().name());
        this.parents = new ParentDns(query);
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
        ParentDns.Facts dn = parents.of(entry.getDN());
        if (dn == null ? !query.inScope(entry.getParsedDN()) : !dn.inScope()) {
            deleted(id.get()); // moved out of scope, or never in it (then not in the baseline either)
            return;
        }
        if (!seen.add(id.get())) {
            return; // overlapping include subtrees, or an entry reported again after a restarted read
        }
        EntryRecord rec = EntryRecord.of(entry, id.get(), query.profile(), query.scope(), ranges, encoder,
                dn == null ? UserObject.domainOf(entry, query.profile()) : dn.domain());
        byte[] value = Baseline.value(rec.kind(), rec.dn(), rec.contentDigest());
        byte[] before = stored.apply(rec.id());
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
    }

    @Override
    public void deleted(String id) {
        if (deletions.containsKey(id)) {
            return;
        }
        byte[] before = puts.remove(prefix + id); // reported as new or changed, then deleted during the same read
        if (before == null) {
            before = stored.apply(id);
        }
        if (before != null) {
            deletions.put(id, before);
        }
    }

    /** True when {@code id} was reported by this read, as an entry in scope or as present. */
    boolean reported(String id) {
        return seen.contains(id);
    }

    /** The new baseline values, by state key, in key order. */
    SortedMap<String, byte[]> puts() {
        return puts;
    }

    /** Entries of the baseline reported deleted or out of scope: id to baseline value. */
    Map<String, byte[]> deletions() {
        return deletions;
    }

    Counts counts() {
        return counts;
    }

    /**
     * Writes the upsert line, {@code {"op":"upsert","change","dn",<content's fields>}}, by joining
     * bytes: the content is already JSON, so it is neither parsed nor written again.
     */
    private void write(EntryRecord rec, String change) throws IOException, InterruptedException {
        byte[] content = rec.content();
        String dn = rec.dn();
        // Nearly every DN is printable ASCII without quotes or backslashes: JSON then carries its chars as
        // they are, so they are copied without the two arrays Jackson's quoting allocates.
        byte[] quoted = plainAscii(dn) ? null : JsonStringEncoder.getInstance().quoteAsUTF8(dn);
        int dnLength = quoted == null ? dn.length() : quoted.length;
        byte[] changeBytes = CHANGE_BYTES.get(change);
        int length = UPSERT_CHANGE.length + changeBytes.length + DN_FIELD.length + dnLength + 2 + content.length;
        if (line.length < length) {
            line = new byte[Math.max(length, 2 * line.length)];
        }
        int n = put(UPSERT_CHANGE, 0, UPSERT_CHANGE.length, 0);
        n = put(changeBytes, 0, changeBytes.length, n);
        n = put(DN_FIELD, 0, DN_FIELD.length, n);
        if (quoted == null) {
            for (int i = 0; i < dnLength; i++) {
                line[n++] = (byte) dn.charAt(i);
            }
        } else {
            n = put(quoted, 0, quoted.length, n);
        }
        line[n++] = '"';
        line[n++] = ',';
        n = put(content, 1, content.length - 1, n); // the content's fields, after its opening brace
        line[n++] = '\n';
        chunks.write(line, n);
        for (int i = 0; i < rec.members().size(); i += MEMBERS_PER_LINE) {
            chunks.write(membersLine(rec.id(), rec.members().subList(i, Math.min(rec.members().size(), i + MEMBERS_PER_LINE))));
        }
    }

    private int put(byte[] bytes, int from, int length, int at) {
        System.arraycopy(bytes, from, line, at, length);
        return at + length;
    }

    /** True when JSON writes {@code s} as its own chars: ASCII from space up, without {@code "} or {@code \\}. */
    private static boolean plainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~' || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] membersLine(String id, List<String> members) throws IOException {
        byte[] json = encoder.encode(g -> {
            g.writeStartObject();
            g.writeStringField("op", "members");
            g.writeStringField("id", id);
            g.writeArrayFieldStart("members");
            for (String m : members) {
                g.writeString(m);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }
}
