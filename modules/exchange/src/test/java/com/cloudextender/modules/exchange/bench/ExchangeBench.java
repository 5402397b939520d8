package com.cloudextender.modules.exchange.bench;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.devices.Device;
import com.cloudextender.modules.exchange.devices.DeviceActions;
import com.cloudextender.modules.exchange.devices.DeviceJson;
import com.cloudextender.modules.exchange.devices.DeviceSource;
import com.cloudextender.modules.exchange.online.AdminApiBackend;
import com.cloudextender.modules.exchange.online.AppCertificate;
import com.cloudextender.modules.support.http.ModuleHttp;
import com.cloudextender.modules.exchange.online.TokenSource;
import com.cloudextender.modules.exchange.testing.FakeAdminApi;
import com.cloudextender.modules.exchange.testing.InMemoryExchange;
import com.cloudextender.modules.exchange.testing.TestPki;
import com.cloudextender.modules.support.inventory.InventoryReport;
import com.cloudextender.modules.support.inventory.InventorySettings;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.cloudextender.modules.testkit.FakeModuleContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * {@code scripts/bench exchange}: discovery of {@code bench.devices} (100,000) devices served by WireMock
 * in pages of 1,000, against a raw paged read of the same pages with the same HTTP client in the same
 * run; a delta after 100 device changes (time, bytes per changed device); actions per second against
 * the fake admin API. Figures in docs/BENCHMARKS.md.
 */
public final class ExchangeBench {
    private ExchangeBench() {
    }

    public static void main(String[] args) throws Exception {
        int devices = Integer.getInteger("bench.devices", 100_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int actionSeconds = Integer.getInteger("bench.actionSeconds", 10);
        Path dir = Files.createTempDirectory("exchange-bench");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        System.out.printf("Exchange bench: %,d devices, pages of 1,000, %d rounds (median)%n", devices, rounds);
        try (PagedAdminApi api = new PagedAdminApi(pki, devices, 1000)) {
            ModuleHttp http = ModuleHttp.open((h, p) -> Optional.empty(), Optional.of(pki.serverPem), ModuleHttp.Options.defaults().withAnswerTimeout(Duration.ofSeconds(60)));
            AdminApiBackend backend = backend(http, pki, api.baseUrl());
            long[] raw = new long[rounds];
            long[] module = new long[rounds];
            rawRead(http, api.baseUrl()); // warm-up of both paths
            discover(backend, dir.resolve("warm"));
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                long bytes = rawRead(http, api.baseUrl());
                raw[r] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                InventoryReport rep = discover(backend, dir.resolve("run" + r)).run(true);
                module[r] = System.nanoTime() - t0;
                if (rep.read() != devices) {
                    throw new IllegalStateException("discovery read " + rep.read() + " devices");
                }
                System.out.printf("  round %d: raw read %,d ms (%,d MB of pages), discovery %,d ms%n", r + 1, raw[r] / 1_000_000,
                        bytes >> 20, module[r] / 1_000_000);
            }
            long rawMs = median(raw) / 1_000_000;
            long modMs = median(module) / 1_000_000;
            System.out.printf("discovery: %,d ms; raw paged read of the same pages: %,d ms; ratio %.2f (goal <= 1.3)%n",
                    modMs, rawMs, (double) modMs / rawMs);

            // Delta after 100 changes, on a baseline from a full run.
            FakeModuleContext ctx = new FakeModuleContext("exchange", ModuleConfig.empty(), dir.resolve("delta"));
            InventorySync<Device> sync = new InventorySync<>(new InventorySettings("exchange", "devices", 5000, 8 << 20, 500, 10),
                    new DeviceSource(backend, false), new DeviceJson(), ctx);
            sync.run(true);
            for (int i = 0; i < 100; i++) {
                api.change(i * (devices / 100));
            }
            int before = ctx.uploads.stored.size();
            long t0 = System.nanoTime();
            InventoryReport delta = sync.run(false);
            long deltaMs = (System.nanoTime() - t0) / 1_000_000;
            long gz = 0;
            for (int i = before; i < ctx.uploads.stored.size(); i++) {
                gz += Files.size(ctx.uploads.stored.get(i));
            }
            System.out.printf("delta after 100 changes: %,d ms, %d modified, %,d record bytes (%d per changed device), "
                    + "%,d bytes uploaded gzip'd (%d per changed device)%n", deltaMs, delta.modified(), delta.bytes(),
                    delta.bytes() / Math.max(1, delta.modified()), gz, gz / Math.max(1, delta.modified()));
            backend.close();
        }

        // Actions: block/allow round trips (each about five admin API calls with read-back).
        InMemoryExchange exchange = new InMemoryExchange();
        for (int i = 0; i < 1000; i++) {
            exchange.device("user" + i, "DEV" + i, "iPhone");
        }
        try (FakeAdminApi fake = new FakeAdminApi(exchange, pki)) {
            ModuleHttp http = ModuleHttp.open((h, p) -> Optional.empty(), Optional.of(pki.serverPem), ModuleHttp.Options.defaults().withAnswerTimeout(Duration.ofSeconds(60)));
            TokenSource tokens = new TokenSource(fake.authorityBase() + FakeAdminApi.TENANT + "/", "bench",
                    AppCertificate.read(pki.appCertificate, TestPki.PASSWORD.toCharArray()), "https://outlook.office365.com/.default",
                    http, Duration.ofMinutes(5), Clock.systemUTC());
            AtomicLong throttled = new AtomicLong();
            AdminApiBackend b = new AdminApiBackend(http, tokens, fake.baseUrl(), FakeAdminApi.TENANT, "UPN:x", 1000, 5,
                    Duration.ofSeconds(10), d -> {
                        throttled.incrementAndGet();
                        Thread.sleep(d.toMillis());
                    });
            DeviceActions actions = new DeviceActions(b);
            for (int threads : new int[]{1, 4}) {
                int requestsBefore = fake.invokeRequests();
                AtomicLong done = new AtomicLong();
                long end = System.nanoTime() + Duration.ofSeconds(actionSeconds).toNanos();
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int worker = t;
                    fs.add(pool.submit(() -> {
                        int i = worker;
                        while (System.nanoTime() < end) {
                            String id = "DEV" + (i % 1000);
                            if ((i / 1000) % 2 == 0) {
                                actions.block(id, Optional.empty());
                            } else {
                                actions.allow(id, Optional.empty());
                            }
                            i += threads;
                            done.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (var f : fs) {
                    f.get();
                }
                pool.shutdown();
                int calls = fake.invokeRequests() - requestsBefore;
                System.out.printf("actions (block/allow with read-back), %d thread(s): %.1f actions/s, %.1f admin API calls "
                        + "per action, %d retries after 429/5xx%n", threads, done.get() / (double) actionSeconds,
                        calls / (double) done.get(), throttled.get());
            }
            b.close();
        }
    }

    private static AdminApiBackend backend(ModuleHttp http, TestPki pki, String base) throws Exception {
        TokenSource tokens = new TokenSource(base + "/" + FakeAdminApi.TENANT + "/", "bench",
                AppCertificate.read(pki.appCertificate, TestPki.PASSWORD.toCharArray()), "https://outlook.office365.com/.default",
                http, Duration.ofMinutes(5), Clock.systemUTC());
        return new AdminApiBackend(http, tokens, base, FakeAdminApi.TENANT, "UPN:x", 1000, 5, Duration.ofSeconds(10),
                d -> Thread.sleep(d.toMillis()));
    }

    private static InventorySync<Device> discover(AdminApiBackend backend, Path dir) {
        FakeModuleContext ctx = new FakeModuleContext("exchange", ModuleConfig.empty(), dir);
        return new InventorySync<>(new InventorySettings("exchange", "devices", 5000, 8 << 20, 500, 10),
                new DeviceSource(backend, false), new DeviceJson(), ctx);
    }

    /** The same pages (mailboxes, then devices) with the same client, headers and body; only the bytes are read. */
    private static long rawRead(ModuleHttp http, String base) throws Exception {
        long bytes = 0;
        for (Cmdlet c : new Cmdlet[]{Cmdlet.GET_CAS_MAILBOX, Cmdlet.GET_MOBILE_DEVICE}) {
            byte[] body = ("{\"CmdletInput\":{\"CmdletName\":\"" + c.cmdletName() + "\",\"Parameters\":{\"ResultSize\":\"Unlimited\"}}}")
                    .getBytes(StandardCharsets.UTF_8);
            String next = base + "/adminapi/beta/" + FakeAdminApi.TENANT + "/InvokeCommand";
            while (next != null) {
                HttpPost post = new HttpPost(URI.create(next));
                post.setHeader("Authorization", "Bearer bench");
                post.setHeader("Prefer", "odata.maxpagesize=1000");
                post.setHeader("X-AnchorMailbox", "UPN:x");
                post.setHeader("X-CmdletName", c.cmdletName());
                post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
                byte[] page = http.send(post).body();
                bytes += page.length;
                String head = new String(page, 0, Math.min(page.length, 400), StandardCharsets.UTF_8);
                int at = head.indexOf("\"@odata.nextLink\":\"");
                next = at < 0 ? null : head.substring(at + 19, head.indexOf('"', at + 19));
            }
        }
        return bytes;
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
