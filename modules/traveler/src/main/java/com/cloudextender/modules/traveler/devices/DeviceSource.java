package com.cloudextender.modules.traveler.devices;

import com.cloudextender.modules.support.inventory.InventorySource;
import com.cloudextender.modules.support.inventory.ItemSink;
import com.cloudextender.modules.support.inventory.ReadResult;
import com.cloudextender.modules.traveler.api.TravelerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads every device registration page by page ({@code GET devices?start=&count=}). The pages are read
 * and parsed on a thread of the read's own while the sync hashes, compares and compresses the devices
 * already parsed on the caller's thread; between the two, at most {@link #QUEUED_BATCHES} batches of
 * {@link #BATCH} devices wait, so memory stays bounded whatever the inventory's size (the answer
 * streams: neither a page nor the inventory is ever held whole). Always a complete read: the API
 * offers no change feed, so the hash baseline finds the changes. A read ends at the first page shorter
 * than asked for (or at {@code total}); a server that ignores {@code count} and sends everything at
 * once is read once.
 */
public final class DeviceSource implements InventorySource<Device> {
    static final int BATCH = 256;
    static final int QUEUED_BATCHES = 8;
    private static final List<Device> END = List.of();

    private final TravelerClient client;
    private final int pageSize;

    public DeviceSource(TravelerClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    @Override
    public ReadResult read(boolean full, Map<String, byte[]> position, ItemSink<Device> sink) throws Exception {
        BlockingQueue<List<Device>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        AtomicBoolean consumerGone = new AtomicBoolean();
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "traveler-device-read");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> reading = reader.submit(() -> {
                readPages(queue, consumerGone);
                return null;
            });
            while (true) {
                List<Device> batch = queue.take();
                if (batch == END) {
                    reading.get(); // rethrows the reader's failure, if it ended with one
                    return ReadResult.completeRead("completeRead");
                }
                for (Device d : batch) {
                    sink.item(d);
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } finally {
            consumerGone.set(true); // a failed sink stops the reader at its next hand-over
            reader.shutdownNow();
        }
    }

    /** The reader's side: every page, in batches onto {@code queue}, then {@link #END} (also after a failure). */
    private void readPages(BlockingQueue<List<Device>> queue, AtomicBoolean consumerGone) throws Exception {
        try {
            long start = 0;
            while (true) {
                List<List<Device>> current = new ArrayList<>(1);
                current.add(new ArrayList<>(BATCH));
                DeviceParser.Page page = client.get("devices",
                        Map.of("start", Long.toString(start), "count", Integer.toString(pageSize)),
                        p -> DeviceParser.page(p, d -> {
                            List<Device> b = current.get(0);
                            b.add(d);
                            if (b.size() == BATCH) {
                                hand(queue, b, consumerGone);
                                current.set(0, new ArrayList<>(BATCH));
                            }
                        }));
                if (!current.get(0).isEmpty()) {
                    hand(queue, current.get(0), consumerGone);
                }
                start += page.devices();
                if (page.devices() != pageSize || (page.total() >= 0 && start >= page.total())) {
                    return;
                }
            }
        } finally {
            hand(queue, END, consumerGone);
        }
    }

    /**
     * Puts {@code batch} on the queue, waiting while it is full, unless the consumer has gone (its sink
     * failed): then nothing waits for the batch, and blocking would keep this thread forever.
     */
    private static void hand(BlockingQueue<List<Device>> queue, List<Device> batch, AtomicBoolean consumerGone)
            throws InterruptedException {
        while (!consumerGone.get()) {
            try {
                if (queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                if (batch != END) {
                    throw e;
                }
                // the end marker is still owed to a consumer that may be waiting; keep trying
            }
        }
        if (batch != END) {
            throw new InterruptedException("the device sync stopped reading");
        }
    }
}
