package com.cloudextender.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * The foundation benchmarks (docs/BENCHMARKS.md): command throughput and latency over one channel,
 * start-to-connected time and idle memory. Every figure is printed beside a baseline measured in the
 * same run, because the machine is shared and absolute numbers drift.
 *
 * <p>Baseline for the command path: the same IQ round trip without the command machinery (a command
 * from an unauthorised sender, refused by the extender on the connection thread: no worker, no outbox,
 * no second IQ). The ratio shows what the dispatcher, the durable outbox and the result IQ cost.
 */
public final class ChannelBench {
    public static void main(String[] args) throws Exception {
        int total = Integer.getInteger("bench.commands", 20_000);
        int window = Integer.getInteger("bench.window", 256);
        int rate = Integer.getInteger("bench.rate", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        Path work = Files.createTempDirectory("cloud-extender-bench");
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("cloud")))) {
            ExtenderFixture f = ExtenderFixture.install(work.resolve("x"), cloud, "bench", "bench-machine", false,
                    Map.of("commands.workers", "8", "commands.queue", "10000", "health.interval", "1h"));
            try (Extender x = f.start()) {
                if (!x.awaitConnected(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("not connected: " + x.channelStatus());
                }
                String id = x.extenderId();
                String intruder = "intruder@" + cloud.domain() + "/bench";
                // Warm-up of both paths.
                Load.closedLoop(5_000, window, () -> cloud.sendToExtender(id, "core", "ping", "{}", Duration.ofSeconds(30)));
                Load.closedLoop(5_000, window, () -> cloud.sendRawIq(id,
                        "<command xmlns='urn:cloudextender:1' id='w' module='core' action='ping'/>", intruder));

                double base = Load.closedLoop(total, window, () -> cloud.sendRawIq(id,
                        "<command xmlns='urn:cloudextender:1' id='b' module='core' action='ping'/>", intruder));
                double full = Load.closedLoop(total, window,
                        () -> cloud.sendToExtender(id, "core", "ping", "{}", Duration.ofSeconds(30)));
                System.out.printf("throughput: %,.0f commands/s (goal >= 5,000); baseline IQ round trip %,.0f/s; "
                        + "ratio %.2f%n", full, base, full / base);

                long[] lat = Load.steady(rate, seconds, () -> cloud.sendToExtender(id, "core", "ping", "{}",
                        Duration.ofSeconds(30)));
                long[] baseLat = Load.steady(rate, seconds, () -> cloud.sendRawIq(id,
                        "<command xmlns='urn:cloudextender:1' id='b' module='core' action='ping'/>", intruder));
                System.out.printf("latency at %d/s for %d s: p50 %.2f ms, p99 %.2f ms (goal p99 <= 20 ms); baseline "
                        + "p50 %.2f ms, p99 %.2f ms%n", rate, seconds, Load.pct(lat, 50), Load.pct(lat, 99), Load.pct(baseLat, 50),
                        Load.pct(baseLat, 99));
            }
            separateProcess(cloud, work);
        }
        BenchLogs.keepOnlyLogs(work);
    }

    /**
     * Starts the extender as its own JVM (as the service would run): start-to-connected time, and resident
     * memory after 10 s idle. Baseline: a JVM that only sleeps, with the same flags.
     */
    private static void separateProcess(DevCloud cloud, Path work) throws Exception {
        ExtenderFixture f = ExtenderFixture.install(work.resolve("proc"), cloud, "bench", "proc-machine", false,
                Map.of("health.interval", "1h"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        // The flags the service ships with (conf/jvm.options), so the figure is what an installation sees.
        List<String> flags = new ArrayList<>(Files.readAllLines(Path.of("conf/jvm.options")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        flags.add("-Dcloudextender.machineId=proc-machine");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", cp, "com.cloudextender.core.cli.ExtenderMain", "run", "-c", f.config().toString()));
        java.util.Set<String> known = new java.util.HashSet<>();
        cloud.extenders().forEach(v -> known.add(v.id()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("proc.log").toFile()).start();
        try {
            while (cloud.extenders().stream().noneMatch(v -> v.connected() && !known.contains(v.id()))) {
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("extender process did not connect; see " + work.resolve("proc.log"));
                }
                Thread.sleep(5);
            }
            double startMs = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(10_000);
            long rss = rssKb(p.pid());
            List<String> sleeper = new ArrayList<>(List.of(java));
            sleeper.addAll(flags);
            sleeper.addAll(List.of("-cp", cp, "com.cloudextender.bench.Sleeper"));
            Process s = new ProcessBuilder(sleeper).start();
            Thread.sleep(3_000);
            long baseRss = rssKb(s.pid());
            s.destroy();
            System.out.printf("start to connected (new JVM, first start with registration): %.0f ms (goal <= 3,000 ms)%n",
                    startMs);
            System.out.printf("idle resident memory with conf/jvm.options %s: %,d MB (goal <= 120 MB); baseline idle "
                    + "JVM with the same flags %,d MB; ratio %.1f%n", flags.subList(0, flags.size() - 1), rss / 1024,
                    baseRss / 1024, (double) rss / baseRss);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(new File("/proc/" + pid + "/status").toPath())) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
