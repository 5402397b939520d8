package com.cloudextender.modules.support.inventory;

import com.cloudextender.api.ModuleConfig;

/**
 * How one inventory is synchronised. Immutable.
 *
 * @param module                 the module id, written into each chunk's header
 * @param name                   the inventory's name: state keys, chunk names, logs ({@code [a-z0-9-]+})
 * @param chunkRecords           records per chunk at most
 * @param chunkBytes             uncompressed bytes per chunk, about
 * @param deleteThreshold        a run deleting more items than this is held back (0: no count check)
 * @param deleteThresholdPercent a run deleting more than this share of the baseline is held back (0: no check)
 */
public record InventorySettings(String module, String name, int chunkRecords, long chunkBytes, int deleteThreshold,
                                int deleteThresholdPercent) {
    public InventorySettings {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("inventory name: '" + name + "' must be lower-case letters, digits and -");
        }
        if (chunkRecords < 1 || chunkBytes < 1024) {
            throw new IllegalArgumentException("inventory " + name + ": chunkRecords must be at least 1 and chunkBytes at least 1024");
        }
        if (deleteThreshold < 0 || deleteThresholdPercent < 0 || deleteThresholdPercent > 100) {
            throw new IllegalArgumentException("inventory " + name
                    + ": deleteThreshold must be 0 or more, deleteThresholdPercent 0 to 100");
        }
    }

    /**
     * Settings read from {@code config} under {@code prefix} ({@code <prefix>chunkRecords},
     * {@code chunkBytes}, {@code deleteThreshold}, {@code deleteThresholdPercent}), with defaults of
     * 5,000 records, 8 MiB, 500 deletions and 10 %.
     */
    public static InventorySettings read(ModuleConfig config, String prefix, String module, String name) {
        return new InventorySettings(module, name,
                config.intValue(prefix + "chunkRecords", 5000),
                config.intValue(prefix + "chunkBytes", 8 * 1024 * 1024),
                config.intValue(prefix + "deleteThreshold", 500),
                config.intValue(prefix + "deleteThresholdPercent", 10));
    }

    /** True when {@code deletes} out of a baseline of {@code baselineSize} ids must be held back. */
    boolean exceedsThreshold(long deletes, long baselineSize) {
        boolean overCount = deleteThreshold > 0 && deletes > deleteThreshold;
        boolean overShare = deleteThresholdPercent > 0 && deletes * 100 > (long) deleteThresholdPercent * baselineSize;
        return overCount || overShare;
    }
}
