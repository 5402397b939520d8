package com.cloudextender.modules.support.inventory;

import java.io.IOException;

/**
 * Receives what an {@link InventorySource} reads, in order, from one thread at a time.
 *
 * @param <T> the item type
 */
public interface ItemSink<T> {
    /** An item with all of its content: new, changed or (in a complete read) any item. */
    void item(T item) throws IOException, InterruptedException;

    /** The item {@code id} still exists and did not change (a delta source that knows it). */
    void present(String id);

    /** The item {@code id} is gone (ids the cloud never got are ignored). */
    void deleted(String id);
}
