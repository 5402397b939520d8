package com.cloudextender.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * The MEG benchmark (docs/BENCHMARKS.md, section MEG): a real nginx on loopback reached directly and
 * through the whole path (gateway → relay → extender's meg module → nginx), in the same run:
 * <ol>
 * <li>bulk download of {@code bench.bulkMiB} (1024) MiB with curl, both ways, {@code bench.rounds} (2)
 * rounds alternating, after untimed downloads through MEG until one ran with the JIT quiet
 * ({@code bench.quietJitMillis}, 200 ms; {@code bench.maxWarmRuns}, 8): throughput ratio, and the JVM's heap peak during the MEG downloads above its
 * idle level (one JVM holds the gateway, the relay and the extender);</li>
 * <li>{@code bench.requests} (10,000) small GETs with {@code bench.window} (64) in flight, with the JDK's
 * HTTP/1.1 client (keep-alive), both ways: requests/s ratio and p50/p99 latency (the difference is
 * what the path adds);</li>
 * <li>{@code bench.held} (1,000) byte streams (CONNECT) held open at once: heap per stream (live heap
 * after a full collection, with and without them, over the whole JVM).</li>
 * </ol>
 */
public final class MegBench {
    private static final String CUSTOMER = "meg-bench";
    private static final String USER = "bench-user";
    private static final String PASSWORD = "bench-pass-1";

    private MegBench() {
    }

    public static void main(String[] args) throws Exception {
        int bulkMiB = Integer.getInteger("bench.bulkMiB", 1024);
        int rounds = Integer.getInteger("bench.rounds", 2);
        int requests = Integer.getInteger("bench.requests", 10_000);
        int window = Integer.getInteger("bench.window", 64);
        int held = Integer.getInteger("bench.held", 1000);
        Path work = Files.createTempDirectory("meg-bench");
        BenchLogs.toFile(work);
        List<String> summary = new ArrayList<>();
        try (NginxPeer nginx = NginxPeer.start(work.resolve("nginx"), (long) bulkMiB << 20);
                DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("cloud")))) {
            Files.writeString(nginx.dir.resolve("www/small.txt"), "x".repeat(512));
            cloud.publishModule(DevPackages.built("meg"), "stable");
            ExtenderFixture f = ExtenderFixture.install(work.resolve("x"), cloud, CUSTOMER, "bench-machine", false,
                    Map.of("health.interval", "1h"));
            try (Extender x = f.start()) {
                if (!x.awaitConnected(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the extender did not connect");
                }
                cloud.addGatewayUser(CUSTOMER, USER, PASSWORD);
                Map<String, String> config = new TreeMap<>();
                config.put("allow.hosts", "localhost");
                config.put("allow.cidrs", "127.0.0.1/32, ::1/128");
                config.put("allow.ports", Integer.toString(nginx.port));
                config.put("allow.schemes", "http");
                config.put("allow.connectPorts", Integer.toString(nginx.port));
                config.put("stream.maxPerConnection", "2048");
                config.put("stream.maxTotal", "4096");
                cloud.enableMeg(CUSTOMER, config);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (cloud.megConnections(CUSTOMER) < 2) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("the MEG tunnel did not come up");
                    }
                    Thread.sleep(50);
                }
                int gw = cloud.megGatewayPort();
                bulk(summary, nginx, gw, bulkMiB, rounds);
                small(summary, nginx, gw, requests, window);
                heldStreams(summary, nginx, gw, held);
            }
        }
        System.out.println();
        System.out.println("MEG benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", -Xmx" + Runtime.getRuntime().maxMemory() / (1 << 20) + "m)");
        summary.forEach(System.out::println);
        BenchLogs.keepOnlyLogs(work);
        System.out.println("logs: " + work.resolve("logs") + " (the rest of " + work + " was deleted)");
    }

    // ---- (a) bulk

    private static void bulk(List<String> summary, NginxPeer nginx, int gw, int mib, int rounds) throws Exception {
        String direct = "http://127.0.0.1:" + nginx.port + "/large.bin";
        String viaMeg = "http://localhost:" + nginx.port + "/large.bin";
        curlSpeed(List.of(), direct); // warm the page cache
        // And the path, until the JIT is done with it: on 2 cores a C2 compilation takes one of them, and the
        // first downloads through a new JVM ran beside 0.8-0.9 of a core of C2 for more than 10 s (two copies
        // of Netty, the dev cloud's and the module's, and the TLS ciphers). A service relays with warm code.
        String warmUp = warmPath(gw, viaMeg);
        long idle = HeapPeak.usedAfterGc();
        double d = 0;
        double m = 0;
        long peak = 0;
        long jit = 0;
        for (int i = 0; i < rounds; i++) {
            d += curlSpeed(List.of(), direct);
            HeapPeak.reset();
            long jit0 = JitTime.millis();
            m += curlSpeed(proxy(gw), viaMeg);
            jit += JitTime.millis() - jit0;
            peak = Math.max(peak, HeapPeak.peakSinceReset());
        }
        d /= rounds;
        m /= rounds;
        // The live heap in the middle of one more MEG download (not timed): what a running bulk stream
        // really holds, without the garbage the peak above counts.
        java.util.concurrent.CompletableFuture<Double> extra = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return curlSpeed(proxy(gw), viaMeg);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(2000);
        long live = HeapPeak.usedAfterGc();
        boolean running = !extra.isDone();
        extra.get(10, TimeUnit.MINUTES);
        summary.add(String.format("(a) bulk %d MiB, %s; JIT %d ms during the timed MEG downloads: direct %.0f MiB/s, "
                + "through MEG %.0f MiB/s, ratio %.2f (goal >= 0.8); "
                + "live heap mid-download %s above the idle %s%s; heap peak (garbage included) %s above idle "
                + "(whole JVM: gateway, relay, extender; goal <= 64 MiB)", mib, warmUp, jit, d / (1 << 20), m / (1 << 20), m / d,
                HeapPeak.mib(live - idle), HeapPeak.mib(idle), running ? "" : " (the download had ended: not valid)",
                HeapPeak.mib(peak - idle)));
    }

    private static List<String> proxy(int gw) {
        return List.of("-x", "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + gw);
    }

    /** Bytes per second of one curl download to /dev/null. */
    /**
     * MEG downloads until one ran with at most {@code bench.quietJitMillis} (200) of compilation, at least one
     * and at most {@code bench.maxWarmRuns} (8); says how many and whether the JIT was quiet.
     */
    private static String warmPath(int gw, String url) throws Exception {
        int max = Math.max(1, Integer.getInteger("bench.maxWarmRuns", 8));
        long quiet = Long.getLong("bench.quietJitMillis", 200);
        List<String> runs = new ArrayList<>();
        long jit = Long.MAX_VALUE;
        for (int i = 0; i < max && jit > quiet; i++) {
            long jit0 = JitTime.millis();
            double speed = curlSpeed(proxy(gw), url);
            jit = JitTime.millis() - jit0;
            runs.add(String.format("%.0f MiB/s (JIT %d ms)", speed / (1 << 20), jit));
        }
        return "after " + runs.size() + " untimed MEG downloads, " + String.join(", ", runs)
                + (jit <= quiet ? "" : ": the JIT was still compiling");
    }

    private static double curlSpeed(List<String> extra, String url) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{speed_download}"));
        cmd.addAll(extra);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.startsWith("200 ")) {
            throw new IllegalStateException("curl " + url + " failed: " + out);
        }
        return Double.parseDouble(out.substring(4).trim());
    }

    // ---- (b) small requests

    private static void small(List<String> summary, NginxPeer nginx, int gw, int n, int window) throws Exception {
        HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient viaMeg = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", gw))).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        URI directUri = URI.create("http://127.0.0.1:" + nginx.port + "/small.txt");
        URI megUri = URI.create("http://localhost:" + nginx.port + "/small.txt");
        load(direct, directUri, null, Math.min(n, 2000), window); // warm-up
        // The path's, until a round of it ran with the JIT quiet (as for (a)), at most bench.maxWarmRuns rounds.
        int max = Math.max(1, Integer.getInteger("bench.maxWarmRuns", 8));
        long quiet = Long.getLong("bench.quietJitMillis", 200);
        int warmRounds = 0;
        long warmJit = Long.MAX_VALUE;
        while (warmRounds < max && warmJit > quiet) {
            long jit0 = JitTime.millis();
            load(viaMeg, megUri, auth, Math.min(n, 2000), window);
            warmJit = JitTime.millis() - jit0;
            warmRounds++;
        }
        LoopResult d = load(direct, directUri, null, n, window);
        LoopResult m = load(viaMeg, megUri, auth, n, window);
        summary.add(String.format("(b) %,d small GETs, %d in flight, after %d untimed rounds of up to 2,000 through MEG (JIT %d ms "
                + "in the last%s): direct %,.0f req/s (p50 %.2f ms, p99 %.2f ms), "
                + "through MEG %,.0f req/s (p50 %.2f ms, p99 %.2f ms); ratio %.2f; added p50 %.2f ms, p99 %.2f ms "
                + "(goal: p99 adds <= 5 ms)", n, window, warmRounds, warmJit, warmJit <= quiet ? "" : ", still compiling",
                d.perSecond, d.p50, d.p99, m.perSecond, m.p50, m.p99,
                m.perSecond / d.perSecond, m.p50 - d.p50, m.p99 - d.p99));
    }

    /** Requests/s and latency percentiles (ms) of one closed loop. */
    private record LoopResult(double perSecond, double p50, double p99) {
    }

    private static LoopResult load(HttpClient client, URI uri, String proxyAuth, int n, int window) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (proxyAuth != null) {
            b.header("Proxy-Authorization", proxyAuth);
        }
        HttpRequest request = b.build();
        long[] latencies = new long[n];
        AtomicLong failures = new AtomicLong();
        Semaphore slots = new Semaphore(window);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            int idx = i;
            long t0 = System.nanoTime();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                latencies[idx] = System.nanoTime() - t0;
                if (e != null || r.statusCode() != 200) {
                    failures.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(window);
        long elapsed = System.nanoTime() - start;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + n + " requests to " + uri + " failed");
        }
        java.util.Arrays.sort(latencies);
        return new LoopResult(n / (elapsed / 1e9), latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6);
    }

    // ---- (c) held streams

    private static void heldStreams(List<String> summary, NginxPeer nginx, int gw, int n) throws Exception {
        long before = HeapPeak.usedAfterGc();
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), gw);
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                out.write(("CONNECT localhost:" + nginx.port + " HTTP/1.1\r\nHost: localhost:" + nginx.port
                        + "\r\nProxy-Authorization: Basic " + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            for (Socket s : sockets) {
                s.setSoTimeout(30_000);
                String head = readHead(s.getInputStream());
                if (!head.startsWith("HTTP/1.1 200")) {
                    throw new IllegalStateException("a held stream was not opened: " + head.lines().findFirst().orElse(""));
                }
            }
            long with = HeapPeak.usedAfterGc();
            summary.add(String.format("(c) %,d byte streams held open: live heap %s without, %s with: %,.1f KiB per "
                    + "stream (whole JVM: the gateway's connection, the relay's and the extender's stream, the "
                    + "target connection)", n, HeapPeak.mib(before), HeapPeak.mib(with), (with - before) / 1024.0 / n));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }
}
