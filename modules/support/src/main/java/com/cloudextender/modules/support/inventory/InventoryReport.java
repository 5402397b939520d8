package com.cloudextender.modules.support.inventory;

import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What one inventory run did. Immutable.
 *
 * @param inventory   the inventory's name
 * @param full        true when the cloud asked for everything
 * @param method      how changes were found (the source's {@link ReadResult#method()})
 * @param read        items read
 * @param added       items the baseline did not have
 * @param modified    items whose content changed
 * @param unchanged   items read without a change
 * @param deleted     deletions sent
 * @param heldDeletes deletions held back by the threshold (not sent)
 * @param bytes       uncompressed record bytes uploaded
 * @param receipts    the uploaded chunks, in order
 * @param millis      how long the run took
 */
public record InventoryReport(String inventory, boolean full, String method, long read, long added, long modified,
                              long unchanged, long deleted, long heldDeletes, long bytes, List<UploadReceipt> receipts,
                              long millis) {
    public InventoryReport {
        receipts = List.copyOf(receipts);
    }

    /** The report as the JSON object an action returns. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("inventory", inventory);
        o.put("mode", full ? "full" : "delta");
        o.put("method", method);
        o.put("read", read);
        o.put("added", added);
        o.put("modified", modified);
        o.put("unchanged", unchanged);
        o.put("deleted", deleted);
        o.put("heldDeletes", heldDeletes);
        o.put("bytes", bytes);
        o.put("millis", millis);
        ArrayNode chunks = o.putArray("chunks");
        for (UploadReceipt u : receipts) {
            chunks.addObject().put("getUrl", u.getUrl()).put("sha256", u.sha256()).put("size", u.size());
        }
        return o;
    }
}
