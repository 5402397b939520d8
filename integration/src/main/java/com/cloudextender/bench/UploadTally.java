package com.cloudextender.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import com.cloudextender.devcloud.UploadView;

/**
 * What a sync uploaded, as the dev cloud stored it: chunks, gzip'd bytes, JSON-lines bytes once
 * uncompressed, and records (every line but each chunk's header line). Immutable.
 */
record UploadTally(int chunks, long gzipBytes, long jsonBytes, long records) {

    /** The complete uploads in {@code all} whose slot is not in {@code before}. */
    static UploadTally since(Set<String> before, Collection<UploadView> all) throws IOException {
        List<UploadView> fresh = all.stream().filter(u -> u.complete() && !before.contains(u.slotId())).toList();
        long gzip = 0;
        long json = 0;
        long records = 0;
        for (UploadView u : fresh) {
            gzip += u.size();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(u.file())), StandardCharsets.UTF_8))) {
                String line;
                boolean header = true; // each chunk starts with one {"op":"chunk",...} line
                while ((line = r.readLine()) != null) {
                    json += line.getBytes(StandardCharsets.UTF_8).length + 1;
                    if (!header && !line.startsWith("{\"op\":\"end\"")) { // a full run's last line is its end record
                        records++;
                    }
                    header = false;
                }
            }
        }
        return new UploadTally(fresh.size(), gzip, json, records);
    }

    static Set<String> slots(Collection<UploadView> all) {
        return Set.copyOf(all.stream().map(UploadView::slotId).toList());
    }
}
