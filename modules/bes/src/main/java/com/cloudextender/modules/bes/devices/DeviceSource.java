package com.cloudextender.modules.bes.devices;

import com.cloudextender.modules.support.inventory.InventorySource;
import com.cloudextender.modules.support.inventory.ItemSink;
import com.cloudextender.modules.support.inventory.ReadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Reads every device of every BES user, page by page, into the inventory sync. Always a complete read:
 * BWS has no change feed, so the hash baseline finds the changes and the devices that are gone.
 */
public final class DeviceSource implements InventorySource<BesDevice> {
    private final UserDirectory directory;

    public DeviceSource(UserDirectory directory) {
        this.directory = directory;
    }

    @Override
    public ReadResult read(boolean full, Map<String, byte[]> position, ItemSink<BesDevice> sink) throws Exception {
        try {
            directory.forEachDevice(d -> {
                try {
                    sink.item(d);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new IOException("interrupted while writing a chunk"));
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return ReadResult.completeRead("completeRead");
    }
}
