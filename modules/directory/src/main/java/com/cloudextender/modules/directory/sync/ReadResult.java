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
 */
record ReadResult(String method, boolean complete, Map<String, byte[]> state) {
    ReadResult {
        state = Map.copyOf(state);
    }
}
