package com.cloudextender.modules.support.inventory;

import java.util.Map;

/**
 * Reads an inventory's items. A complete read reports every item; a delta read may report only what
 * changed since {@code position}, when the server can tell (and must then say so with
 * {@link ReadResult#complete()} false and report deletions itself).
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface InventorySource<T> {
    /**
     * Reads items into {@code sink}.
     *
     * @param full     true when the cloud asked for everything: read completely
     * @param position what the previous successful read returned as its position (empty at first)
     * @throws Exception when the read failed; nothing is committed then
     */
    ReadResult read(boolean full, Map<String, byte[]> position, ItemSink<T> sink) throws Exception;
}
