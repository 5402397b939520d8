package com.cloudextender.modules.traveler.devices;

import com.cloudextender.modules.support.inventory.InventorySource;
import com.cloudextender.modules.support.inventory.ItemSink;
import com.cloudextender.modules.support.inventory.ReadResult;
import com.cloudextender.modules.traveler.api.TravelerClient;
import java.util.Map;

/**
 * Reads every device registration page by page ({@code GET devices?start=&count=}), each device handed
 * to the sync as soon as it is parsed, so memory holds one device at a time, not a page or the
 * inventory. Always a complete read: the API offers no change feed, so the hash baseline finds the
 * changes. A read ends at the first page shorter than asked for; a server that ignores {@code count}
 * and sends everything at once is read once.
 */
public final class DeviceSource implements InventorySource<Device> {
    private final TravelerClient client;
    private final int pageSize;

    public DeviceSource(TravelerClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    @Override
    public ReadResult read(boolean full, Map<String, byte[]> position, ItemSink<Device> sink) throws Exception {
        long start = 0;
        while (true) {
            DeviceParser.Page page = client.get("devices",
                    Map.of("start", Long.toString(start), "count", Integer.toString(pageSize)),
                    p -> DeviceParser.page(p, sink::item));
            start += page.devices();
            if (page.devices() != pageSize || (page.total() >= 0 && start >= page.total())) {
                return ReadResult.completeRead("completeRead");
            }
        }
    }
}
