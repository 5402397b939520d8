package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.UploadReceipt;
import java.util.List;

/**
 * What one profile's sync did. Immutable.
 *
 * @param profile     the profile
 * @param full        true for a full snapshot, false for a delta
 * @param method      how changes were found: pagedScan, contentSync or usnChanged
 * @param entries     entries read from the directory
 * @param added       entries new since the baseline
 * @param modified    entries whose content changed
 * @param moved       entries whose DN changed (renamed or moved)
 * @param deleted     deletions sent
 * @param heldDeletes deletions held back by the safety threshold (not sent)
 * @param skipped     entries without a stable id (not sent)
 * @param receipts    the uploaded chunks, in order
 * @param millis      how long it took
 * @param deletions   how deletions were found: {@code completeRead} (every entry read), {@code reader}
 *                    (tombstones, content sync), {@code sweep} (the ids in scope compared with the
 *                    baseline), or {@code notChecked} (the reader cannot see them and the last sweep is
 *                    recent enough)
 */
public record SyncReport(String profile, boolean full, String method, long entries, long added, long modified, long moved,
                         long deleted, long heldDeletes, long skipped, List<UploadReceipt> receipts, long millis,
                         String deletions) {
}
