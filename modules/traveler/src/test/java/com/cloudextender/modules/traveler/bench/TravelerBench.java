package com.cloudextender.modules.traveler.bench;

import com.cloudextender.modules.support.http.ModuleHttp;
import com.cloudextender.modules.testkit.FakeModuleContext;
import com.cloudextender.modules.traveler.api.TravelerClient;
import com.cloudextender.modules.traveler.api.TravelerSettings;
import com.cloudextender.modules.traveler.devices.Device;
import com.cloudextender.modules.traveler.devices.DeviceFormat;
import com.cloudextender.modules.traveler.devices.DeviceSource;
import com.cloudextender.modules.traveler.testing.TestTls;
import com.cloudextender.modules.traveler.testing.TravelerFixture;
import com.cloudextender.modules.support.inventory.InventoryReport;
import com.cloudextender.modules.support.inventory.InventorySettings;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.cloudextender.modules.support.inventory.ItemSink;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpGet;

/**
 * {@code scripts/bench traveler}: discovery of {@code bench.devices} (50,000) devices served by WireMock
 * in pages of {@code bench.pageSize} (500), against a raw paged read of the same pages with the same
 * HTTP client, headers and URLs in the same run (bytes read and dropped); then a delta after 100
 * device changes. Figures in docs/BENCHMARKS.md.
 */
public final class TravelerBench {
    private TravelerBench() {
    }

    public static void main(String[] args) throws Exception {
        int devices = Integer.getInteger("bench.devices", 50_000);
        int pageSize = Integer.getInteger("bench.pageSize", 500);
        int rounds = Integer.getInteger("bench.rounds", 5);
        Path dir = Files.createTempDirectory("traveler-bench");
        TestTls tls = TestTls.create(dir.resolve("tls"));
        System.out.printf("Traveler bench: %,d devices, pages of %,d, %d rounds (median)%n", devices, pageSize, rounds);
        try (PagedTravelerServer server = new PagedTravelerServer(tls, devices, pageSize)) {
            TravelerSettings settings = TravelerSettings.read(TravelerFixture.config(server.baseUrl(), tls.pem.toString(),
                    Map.of("pageSize", Integer.toString(pageSize), "timeout", "60s")));
            ModuleHttp http = ModuleHttp.open((h, p) -> Optional.empty(), settings.trustStore(),
                    new ModuleHttp.Options(settings.connectTimeout(), settings.timeout(), 8));
            TravelerClient client = new TravelerClient(http, settings);
            String auth = "Basic " + Base64.getEncoder().encodeToString((settings.username() + ":"
                    + new String(settings.password())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long[] raw = new long[rounds];
            long[] module = new long[rounds];
            rawRead(http, server.baseUrl(), auth, pageSize, server.pages()); // warm-up of both paths
            discovery(client, pageSize, dir.resolve("warm")).run(true);
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                long bytes = rawRead(http, server.baseUrl(), auth, pageSize, server.pages());
                raw[r] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                InventoryReport rep = discovery(client, pageSize, dir.resolve("run" + r)).run(true);
                module[r] = System.nanoTime() - t0;
                if (rep.read() != devices) {
                    throw new IllegalStateException("discovery read " + rep.read() + " devices");
                }
                System.out.printf("  round %d: raw read %,d ms (%,d MB of pages), discovery %,d ms (%,d chunks), ratio %.2f%n",
                        r + 1, raw[r] / 1_000_000, bytes >> 20, module[r] / 1_000_000, rep.receipts().size(),
                        (double) module[r] / raw[r]);
            }
            long[] parse = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                long[] n = {0};
                new DeviceSource(client, pageSize).read(true, Map.of(), new ItemSink<>() {
                    @Override
                    public void item(Device d) {
                        n[0]++;
                    }

                    @Override
                    public void present(String id) {
                    }

                    @Override
                    public void deleted(String id) {
                    }
                });
                parse[r] = System.nanoTime() - t0;
            }
            System.out.printf("the module's read and parse alone (no sync): %,d ms%n", median(parse) / 1_000_000);
            long rawMs = median(raw) / 1_000_000;
            long modMs = median(module) / 1_000_000;
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = (double) module[r] / raw[r];
            }
            Arrays.sort(ratios);
            System.out.printf("discovery: %,d ms; raw paged read of the same pages: %,d ms; ratio of medians %.2f, median of "
                    + "the rounds' ratios %.2f (goal <= 1.3)%n", modMs, rawMs, (double) modMs / rawMs, ratios[rounds / 2]);

            FakeModuleContext ctx = new FakeModuleContext("traveler", TravelerFixture.config(server.baseUrl(), null, Map.of()),
                    dir.resolve("delta"));
            InventorySync<Device> sync = sync(client, pageSize, ctx);
            sync.run(true);
            for (int i = 0; i < 100; i++) {
                server.change(i * (devices / 100));
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
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.printf("heap in use after the runs: %,d MB (max %,d MB)%n", (rt.totalMemory() - rt.freeMemory()) >> 20,
                    rt.maxMemory() >> 20);
            client.close();
        }
    }

    private static InventorySync<Device> discovery(TravelerClient client, int pageSize, Path dir) {
        return sync(client, pageSize, new FakeModuleContext("traveler", TravelerFixture.config("https://x", null, Map.of()), dir));
    }

    private static InventorySync<Device> sync(TravelerClient client, int pageSize, FakeModuleContext ctx) {
        return new InventorySync<>(new InventorySettings("traveler", "devices", 5000, 8 << 20, 500, 10),
                new DeviceSource(client, pageSize), new DeviceFormat(Duration.ofDays(1)), ctx);
    }

    /** The same pages with the same client, URL and headers; the bytes are read and dropped. */
    private static long rawRead(ModuleHttp http, String base, String auth, int pageSize, int pages) throws Exception {
        long bytes = 0;
        byte[] buf = new byte[64 * 1024];
        for (int p = 0; p < pages; p++) {
            HttpGet get = new HttpGet(URI.create(base + "/api/traveler/devices?start=" + (p * pageSize) + "&count=" + pageSize));
            get.setHeader("Authorization", auth);
            get.setHeader("Accept", "application/json");
            bytes += http.execute(get, response -> {
                long n = 0;
                try (InputStream in = response.getEntity().getContent()) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        n += r;
                    }
                }
                return n;
            });
        }
        return bytes;
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
