package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.core.protocol.AcceptedIq;
import com.cloudextender.core.protocol.ResultIq;

/**
 * Commands per second over one connection, against a Smack client that accepts each command and sends
 * its result at once. Not part of the normal build: run with
 * {@code mvn -o -pl dev-cloud test -Dtest=ThroughputCheck -Ddevcloud.throughput=true}.
 */
@EnabledIfSystemProperty(named = "devcloud.throughput", matches = "true")
class ThroughputCheck {
    @TempDir
    Path dir;

    @Test
    void commandsPerSecondOverOneConnection() throws Exception {
        int total = Integer.getInteger("devcloud.commands", 50_000);
        int window = Integer.getInteger("devcloud.window", 500);
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));
                FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            var domain = JidCreate.domainBareFrom("localhost");
            ext.answer = c -> {
                ResultIq result = new ResultIq(c.commandId(), c.module(), c.action(), null, 0, "{\"ok\":true}");
                result.setTo(domain);
                ext.connection().sendIqRequestAsync(result);
                return new AcceptedIq(c.commandId(), "queued");
            };
            run(cloud, ext, 2_000, window); // warm-up
            ext.commands.clear();
            long start = System.nanoTime();
            int ok = run(cloud, ext, total, window);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d commands in %.2f s: %.0f commands/s (%.0f stanzas/s), window %d%n", total, seconds,
                    total / seconds, 4 * total / seconds, window);
            assertEquals(total, ok);
        }
    }

    private static int run(DevCloud cloud, FakeExtender ext, int total, int window) throws Exception {
        Semaphore inFlight = new Semaphore(window);
        AtomicInteger ok = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[total];
        for (int i = 0; i < total; i++) {
            inFlight.acquire();
            all[i] = cloud.sendToExtender(ext.id, "core", "ping", "{}", Duration.ofSeconds(60)).whenComplete((o, e) -> {
                if (o != null && o.isOk()) {
                    ok.incrementAndGet();
                }
                inFlight.release();
            });
        }
        CompletableFuture.allOf(all).get(120, TimeUnit.SECONDS);
        return ok.get();
    }
}
