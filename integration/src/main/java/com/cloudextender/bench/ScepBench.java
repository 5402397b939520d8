package com.cloudextender.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * The SCEP module benchmark (docs/BENCHMARKS.md, section SCEP), against a real SCEP CA (micromdm's scepserver,
 * started with {@code scripts/peers/scep} on a free port) and the scep module installed through the dev cloud.
 * Both sides enrol the same pre-made RSA-2048 requests (device keys, with the CA's challenge inside), in a
 * closed loop with {@code bench.window} in flight:
 * <ul>
 * <li>through the whole path: dev cloud → channel → module ({@code requestCertificate}) → CA → result;</li>
 * <li>directly with jSCEP ({@link DirectJscep}), the same per-enrolment work as the module's enroller.</li>
 * </ul>
 * Prints enrolments per second of both and their ratio (goal ≥ 0.8), and p50/p99 of both (the p99 the path
 * adds). Direct and module loops alternate for {@code bench.rounds} rounds and the figures pool the rounds.
 * Options (system properties): bench.window (4), bench.seconds (20, per loop), bench.rounds (2),
 * bench.warmupSeconds (5), bench.csrs (pre-made requests, cycled; 32).
 */
public final class ScepBench {
    private static final String SUBJECT_ORG = "O=Cloud Extender Bench";
    private final List<String> summary = new ArrayList<>();

    private ScepBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchLogs.runAndExit("scep", (work, log) -> new ScepBench().run(work, log));
    }

    private void run(Path work, Path log) throws Exception {
        int window = Integer.getInteger("bench.window", 4);
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "20"));
        double warmup = Double.parseDouble(System.getProperty("bench.warmupSeconds", "5"));
        int csrCount = Integer.getInteger("bench.csrs", 32);
        int rounds = Integer.getInteger("bench.rounds", 2);
        // Random per run; goes to scepserver's command line and the module's secret config, never to a file.
        String challenge = randomChallenge();
        say("working folder " + work + "; module and extender logs in " + log + "; "
                + Runtime.getRuntime().availableProcessors() + " processors");

        long t0 = System.nanoTime();
        List<String> csrs = csrs(csrCount, challenge);
        say(String.format("made %d RSA-2048 device requests with the challenge in %d ms", csrCount, ms(t0)));
        Path cxm = DevPackages.built("scep");
        try (ScepCaPeer ca = ScepCaPeer.start(work.resolve("ca"), challenge);
                DirectJscep direct = DirectJscep.open(cxm, work.resolve("jscep-lib"), ca.url());
                DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("cloud")))) {
            say("scepserver serving " + ca.url());
            cloud.publishModule(cxm, "stable");
            ExtenderFixture f = ExtenderFixture.install(work.resolve("extender"), cloud, "bench", "bench-machine", false,
                    Map.of("commands.workers", Integer.toString(Math.max(8, window)), "commands.queue", "10000",
                            "health.interval", "1h"));
            try (Extender x = f.start()) {
                if (!x.awaitConnected(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the extender did not connect: " + x.channelStatus());
                }
                cloud.enableFeature("bench", "scep", moduleConfig(ca.url(), ca.caFingerprint(), challenge));
                awaitModule(x, Duration.ofSeconds(60));
                measure(cloud, x.extenderId(), direct, csrs, window, seconds, warmup, rounds);
            }
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    private void measure(DevCloud cloud, String extenderId, DirectJscep direct, List<String> csrs, int window,
            double seconds, double warmup, int rounds) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<PKCS10CertificationRequest> parsed = new ArrayList<>();
        for (String c : csrs) {
            parsed.add(new PKCS10CertificationRequest(Base64.getDecoder().decode(c)));
        }
        Supplier<CompletableFuture<CommandOutcome>> viaModule = () -> {
            String csr = csrs.get(Math.floorMod(next.getAndIncrement(), csrs.size()));
            return cloud.sendToExtender(extenderId, "scep", "requestCertificate",
                    "{\"profile\":\"bench\",\"device\":\"bench-device\",\"csr\":\"" + csr + "\"}", Duration.ofSeconds(60));
        };
        ExecutorService callers = Executors.newFixedThreadPool(window);
        try {
            Supplier<CompletableFuture<String>> directly = () -> CompletableFuture.supplyAsync(() -> {
                try {
                    return direct.enrol(parsed.get(Math.floorMod(next.getAndIncrement(), parsed.size())));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, callers);
            TimedLoop.Result warmModule = TimedLoop.run(window, warmup, viaModule, CommandOutcome::isOk);
            TimedLoop.Result warmDirect = TimedLoop.run(window, warmup, directly, s -> !s.isEmpty());
            say(String.format("warm-up: through the module %.1f/s (%d failed %s), direct %.1f/s (%d failed %s)",
                    warmModule.perSecond(), warmModule.run().failed(), warmModule.run().firstFailures(),
                    warmDirect.perSecond(), warmDirect.run().failed(), warmDirect.run().firstFailures()));
            // Rounds alternate direct and module loops, so that drift on this shared machine (and the CA's
            // growing depot) falls on both sides; the figures pool every round.
            List<TimedLoop.Result> bases = new ArrayList<>();
            List<TimedLoop.Result> fulls = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                bases.add(TimedLoop.run(window, seconds, directly, s -> !s.isEmpty()));
                say("round " + round + ", direct: " + describe(bases.get(round - 1)));
                fulls.add(TimedLoop.run(window, seconds, viaModule, CommandOutcome::isOk));
                say("round " + round + ", through the module: " + describe(fulls.get(round - 1)));
            }
            TimedLoop.Result base = pooled(bases);
            TimedLoop.Result full = pooled(fulls);
            double ratio = full.perSecond() / base.perSecond();
            // Failures are judged apart: scepserver's file depot races under concurrent requests (docs/BENCHMARKS.md).
            boolean ok = ratio >= 0.8;
            report("enrolments, %d in flight, %d alternating rounds of %.0f s per side, the same %d pre-made RSA-2048 "
                    + "requests cycled (requestCertificate):", window, rounds, seconds, csrs.size());
            report("  through the whole path (dev cloud → channel → module → scepserver → result): %s", describe(full));
            report("  direct jSCEP, same CA, same requests, same per-enrolment work: %s", describe(base));
            report("  throughput ratio %.2f (goal ≥ 0.8: %s); p50 added %.1f ms, p99 added %.1f ms", ratio,
                    ok ? "met" : "NOT met", full.run().pct(50) - base.run().pct(50),
                    full.run().pct(99) - base.run().pct(99));
            if (!full.run().firstFailures().isEmpty()) {
                report("  first failures through the module: %s", full.run().firstFailures());
            }
            if (!base.run().firstFailures().isEmpty()) {
                report("  first failures direct: %s", base.run().firstFailures());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** The rounds as one run: completions over the summed time, all latencies, all failures. */
    private static TimedLoop.Result pooled(List<TimedLoop.Result> rounds) {
        long done = 0;
        double time = 0;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        List<long[]> all = new ArrayList<>();
        for (TimedLoop.Result r : rounds) {
            done += r.run().latencies().length;
            time += r.run().latencies().length / r.perSecond();
            failed += r.run().failed();
            failures.addAll(r.run().firstFailures());
            all.add(r.run().latencies());
        }
        long[] latencies = all.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        return new TimedLoop.Result(done / time, new Load.Run(latencies, failed, failures.subList(0,
                Math.min(5, failures.size()))));
    }

    private static String describe(TimedLoop.Result r) {
        return String.format("%.1f enrolments/s, p50 %.1f ms, p99 %.1f ms, %d done, %d failed", r.perSecond(),
                r.run().pct(50), r.run().pct(99), r.run().latencies().length, r.run().failed());
    }

    /** Device requests as an MDM relay sends them: the device's own key, the challenge inside. */
    private static List<String> csrs(int n, String challenge) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        JcaContentSignerBuilder signer = new JcaContentSignerBuilder("SHA256withRSA");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KeyPair kp = g.generateKeyPair();
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal("CN=bench-device-" + i + "," + SUBJECT_ORG), kp.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(challenge))
                    .build(signer.build(kp.getPrivate()));
            out.add(Base64.getEncoder().encodeToString(csr.getEncoded()));
        }
        return out;
    }

    /** The scep module's configuration, as a customer would enter it in the cloud. */
    private static Map<String, String> moduleConfig(String url, String caFingerprint, String challenge) {
        Map<String, String> c = new TreeMap<>();
        c.put("profiles", "bench");
        c.put("profile.bench.url", url);
        c.put("profile.bench.caFingerprint", caFingerprint); // scepserver speaks plain HTTP: the CA is pinned
        c.put("profile.bench.challenge", challenge);
        c.put("profile.bench.subjectPattern", "CN=bench-device-[0-9]+," + SUBJECT_ORG);
        return c;
    }

    private static void awaitModule(Extender x, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (x.modules().activeVersion("scep").isEmpty()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the scep module did not start within " + limit + ": "
                        + x.modules().report());
            }
            Thread.sleep(50);
        }
    }

    private static String randomChallenge() {
        return new BigInteger(96, new SecureRandom()).toString(36) + "Bench";
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private void report(String format, Object... args) {
        String line = String.format(format, args);
        summary.add(line);
        say(line);
    }

    private static void say(String s) {
        System.out.println("[scep-bench] " + s);
    }
}
