package com.cloudextender.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.cloudextender.core.Extender;
import com.cloudextender.core.module.ModuleManager;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * The module swap benchmark (docs/BENCHMARKS.md): how long a hot swap takes, and what a steady stream
 * of commands to the module sees while versions are swapped underneath it: failures (goal: none) and
 * latency (goal: p99 ≤ 50 ms). Baseline: the same stream in the same run with no swap.
 */
public final class ModuleSwapBench {
    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("bench.rate", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        long swapEveryMs = Long.getLong("bench.swapEveryMs", 1000);
        Path work = Files.createTempDirectory("cloud-extender-swap-bench");
        Path example = DevPackages.built("example");
        Path[] versions = {DevPackages.withVersion(example, "5.0.0", work.resolve("example-5.0.0.cxm")),
                DevPackages.withVersion(example, "5.0.1", work.resolve("example-5.0.1.cxm"))};
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("cloud")))) {
            ExtenderFixture f = ExtenderFixture.install(work.resolve("x"), cloud, "bench", "bench-machine", false,
                    // Swapping back to 5.0.0 is a downgrade: the administrator's floor allows it.
                    Map.of("commands.workers", "8", "commands.queue", "10000", "health.interval", "1h",
                            "modules.example.minimumVersion", "5.0.0"));
            try (Extender x = f.start()) {
                if (!x.awaitConnected(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("not connected: " + x.channelStatus());
                }
                ModuleManager.InstallOptions now = new ModuleManager.InstallOptions(null, true, true);
                x.modules().install(versions[0], null, now);
                String id = x.extenderId();
                var echo = (java.util.function.Supplier<java.util.concurrent.CompletableFuture<CommandOutcome>>) () ->
                        cloud.sendToExtender(id, "example", "echo", "{\"text\":\"bench\"}", Duration.ofSeconds(30));
                Load.steady(rate, 3, echo, CommandOutcome::isOk); // warm-up

                Load.Run base = Load.steady(rate, seconds, echo, CommandOutcome::isOk);

                AtomicBoolean running = new AtomicBoolean(true);
                List<Double> swapMs = new ArrayList<>();
                List<String> swapFailures = new ArrayList<>();
                Thread swapper = new Thread(() -> {
                    int i = 1;
                    while (running.get()) {
                        long t0 = System.nanoTime();
                        try {
                            x.modules().install(versions[i % 2], null, now);
                            swapMs.add((System.nanoTime() - t0) / 1e6);
                        } catch (Exception e) {
                            swapFailures.add(e.getMessage());
                        }
                        i++;
                        try {
                            Thread.sleep(swapEveryMs);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "swapper");
                swapper.start();
                Load.Run during = Load.steady(rate, seconds, echo, CommandOutcome::isOk);
                running.set(false);
                swapper.join();

                double[] s = swapMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf("module swap: %d swaps, p50 %.1f ms, max %.1f ms, %d failed swaps%n", s.length,
                        s.length == 0 ? Double.NaN : s[s.length / 2], s.length == 0 ? Double.NaN : s[s.length - 1],
                        swapFailures.size());
                System.out.printf("commands at %d/s for %d s while swapping every %d ms: %d of %d failed (goal 0); "
                        + "p50 %.2f ms, p99 %.2f ms (goal p99 <= 50 ms)%n", rate, seconds, swapEveryMs, during.failed(),
                        during.latencies().length, during.pct(50), during.pct(99));
                System.out.printf("baseline, same stream without swaps: %d failed; p50 %.2f ms, p99 %.2f ms; "
                        + "p99 ratio %.2f%n", base.failed(), base.pct(50), base.pct(99), during.pct(99) / base.pct(99));
                if (!during.firstFailures().isEmpty()) {
                    System.out.println("first failures: " + during.firstFailures());
                }
                if (!swapFailures.isEmpty()) {
                    System.out.println("first swap failures: " + swapFailures.subList(0, Math.min(3, swapFailures.size())));
                }
            }
        }
        BenchLogs.keepOnlyLogs(work);
    }
}
