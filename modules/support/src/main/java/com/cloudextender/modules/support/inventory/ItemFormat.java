package com.cloudextender.modules.support.inventory;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * How an inventory item is identified and written. The written fields are the item's content: their
 * digest decides whether the item changed since the cloud last got it, so write them in a stable order
 * and leave out what changes without meaning anything (counters, "last seen" times that move on every
 * read), unless the cloud wants every such change.
 *
 * @param <T> the item type
 */
public interface ItemFormat<T> {
    /** The item's stable id: never empty, unique within the inventory. */
    String id(T item);

    /**
     * Writes the item's fields into the JSON object that the generator has open (no start or end of
     * object, no {@code op}, {@code change} or {@code id} field: the sync writes those).
     */
    void writeFields(T item, JsonGenerator out) throws IOException;
}
