package com.cloudextender.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.ResultView;

/**
 * A backlog larger than the extender's queue, waiting at the cloud while the extender is away, arrives at
 * the pace the extender can take (docs/PROTOCOL.md 3.2): every command answered ok exactly once, none
 * refused as BUSY, no result delivered twice (issue 16, section 0: 37 BUSY and 11 % duplicates of 5,000).
 */
class RedeliveryBurstIT extends DevCloudTestBase {
    private static final int BACKLOG = 5_000;

    @Test
    void aBacklogBeyondTheQueueIsPacedAndAnsweredOnceEach() throws Exception {
        // A short retry interval makes a late acknowledgement look lost as soon as possible.
        ExtenderFixture f = ExtenderFixture.install(home.resolve("x"), cloud, "acme", "machine-burst", false,
                Map.of("commands.queue", "1000", "commands.workers", "4", "outbox.retryInterval", "1s"));
        String id;
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            id = x.extenderId();
        }
        await("the cloud saw the extender go", () -> !cloud.extender(id).orElseThrow().connected());

        List<CompletableFuture<CommandOutcome>> outcomes = new ArrayList<>(BACKLOG);
        for (int i = 0; i < BACKLOG; i++) {
            outcomes.add(cloud.sendToExtender(id, "core", "ping", "{\"n\":" + i + "}", Duration.ofMinutes(3)));
        }
        long start = System.nanoTime();
        try (Extender x = f.start()) {
            assertTrue(x.awaitConnected(T), x.channelStatus().toString());
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(4, TimeUnit.MINUTES);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            Map<String, Integer> notOk = new TreeMap<>();
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<CommandOutcome> o : outcomes) {
                CommandOutcome c = o.join();
                ids.add(c.commandId());
                if (!c.isOk()) {
                    notOk.merge(String.valueOf(c.errorCode()), 1, Integer::sum);
                }
            }
            assertEquals(Map.of(), notOk, "outcomes other than ok, by code");
            await("every result acknowledged", () -> x.outbox().pendingCount() == 0);
            int duplicates = 0;
            int stored = 0;
            for (ResultView r : cloud.results()) {
                if (ids.contains(r.commandId())) {
                    stored++;
                    duplicates += r.timesReceived() - 1;
                }
            }
            System.out.printf("Backlog of %d after a restart: all answered in %d ms; %d duplicate result deliveries%n",
                    BACKLOG, millis, duplicates);
            assertEquals(BACKLOG, stored);
            assertEquals(0, duplicates, "results delivered more than once");
        }
    }
}
