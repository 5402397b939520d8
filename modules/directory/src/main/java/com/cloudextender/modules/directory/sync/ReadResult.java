package com.cloudextender.modules.directory.sync;

import java.util.Map;

/**
 * How a {@link ChangeReader}'s read ended. Immutable.
 *
 * @param method   the change-detection method used, for logs and the sync report
 * @param complete true when every entry in scope was reported (as an entry or as present), so that a
 *                 baseline entry not reported is gone; false when only changes were reported, so that
 *                 only explicit deletions count
 * @param state    the reader's new position (cookie, watermark) by state key; stored only together
 *                 with the baseline, after every chunk was uploaded
 * @param deletionsVisible false when a read of changes only could not see deletions (the service
 *                 account may not read tombstones), so that only a sweep of the ids in scope finds them
 */
record ReadResult(String method, boolean complete, Map<String, byte[]> state, boolean deletionsVisible) {
    ReadResult {
        state = Map.copyOf(state);
    }

    /** A read that reports every deletion, or reads everything. */
    ReadResult(String method, boolean complete, Map<String, byte[]> state) {
        this(method, complete, state, true);
    }
}
