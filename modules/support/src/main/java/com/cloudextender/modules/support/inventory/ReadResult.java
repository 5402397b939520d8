package com.cloudextender.modules.support.inventory;

import java.util.Map;

/**
 * What an {@link InventorySource}'s read ended with.
 *
 * @param complete true when every existing item was reported (as an item or as present), so that the
 *                 baseline's other ids are known to be gone
 * @param method   how changes were found, for the report (for example {@code completeRead})
 * @param position the source's new position (watermarks, filter times) by key; stored with the
 *                 baseline in the same atomic update, and given back to the next read
 */
public record ReadResult(boolean complete, String method, Map<String, byte[]> position) {
    public ReadResult {
        position = Map.copyOf(position);
    }

    /** A complete read without a position. */
    public static ReadResult completeRead(String method) {
        return new ReadResult(true, method, Map.of());
    }
}
