package com.cloudextender.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.cloudextender.core.Extender;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

/**
 * The directory module benchmark (docs/BENCHMARKS.md, section Directory), against a real OpenLDAP slapd
 * with syncprov loaded with a generated directory (100,000 users by default), the directory module
 * installed through the dev cloud, and every command sent through the whole path: dev cloud → channel →
 * module → directory, uploads back to the dev cloud's slots. Each figure is printed beside a baseline
 * measured in the same run with UnboundID directly:
 * <ol>
 * <li>full sync time ÷ a raw paged read of the same entries (goal ≤ 1.3);</li>
 * <li>delta sync after 100 changes: time (goal ≤ 2 s) and bytes uploaded per changed entry, beside a
 * sync with no change and a direct read of the 100 changed entries;</li>
 * <li>authentication, 16 in flight (closed loop): throughput ÷ the same search-then-bind done directly
 * (goal ≥ 0.5), and p99;</li>
 * <li>peak heap of the full sync (the extender runs in this JVM), beside the heap in use before it and
 * the peak of the raw read.</li>
 * </ol>
 * Options (system properties): bench.users, bench.groups, bench.groupSize, bench.bigGroup, bench.changes,
 * bench.authUsers, bench.window, bench.authSeconds, bench.pageSize, bench.poolSize (the module's
 * profile.corp.poolSize; its default when not given), bench.warmSyncs (untimed full syncs between the first
 * and the timed ones, at least; default 3), bench.maxWarmSyncs (more untimed syncs while the JIT compiled for
 * more than bench.quietJitMillis during the last one, up to this many; defaults 10 and 150),
 * bench.rounds (timed rounds of a raw read then a full sync; the median ratio is judged; default 3),
 * bench.firstRunWhenJitQuiet (start the first sync once the JIT has been quiet for half a second; default true),
 * bench.warmUp (the module's sync.warmUp: its per-entry code warmed up at start, before the first sync; default
 * true).
 */
public final class DirectoryBench {
    private static final String SUFFIX = "dc=bench,dc=test";
    private static final String READER_DN = "cn=reader," + SUFFIX;
    private static final String ADMIN_DN = "cn=admin," + SUFFIX;
    private static final Duration SYNC_LIMIT = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> summary = new ArrayList<>();

    private DirectoryBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchLogs.runAndExit("directory", (work, log) -> new DirectoryBench().run(work, log));
    }

    private void run(Path work, Path log) throws Exception {
        int users = Integer.getInteger("bench.users", 100_000);
        int window = Integer.getInteger("bench.window", 16);
        int pageSize = Integer.getInteger("bench.pageSize", 500);
        BenchDirectoryLdif layout = BenchDirectoryLdif.of(SUFFIX, users, Integer.getInteger("bench.groups", 100),
                Integer.getInteger("bench.groupSize", 1000), Integer.getInteger("bench.bigGroup", 50_000),
                Integer.getInteger("bench.authUsers", 1000));
        // Random per run, passed to the script in its environment: never in a file or a process list.
        String readerPassword = randomPassword();
        String adminPassword = randomPassword();
        say("working folder " + work + "; module and extender logs in " + log);
        say("JVM: max heap " + HeapPeak.mib(Runtime.getRuntime().maxMemory()) + " (" + xmx() + "), GC "
                + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList()
                + ", " + Runtime.getRuntime().availableProcessors() + " processors");

        long t0 = System.nanoTime();
        Path ldif = layout.write(work.resolve("directory.ldif"));
        say(String.format("generated %s: %s of LDIF in %d ms", layout, HeapPeak.mib(Files.size(ldif)), ms(t0)));
        t0 = System.nanoTime();
        Map<String, String> env = Map.of("SLAPD_SUFFIX", SUFFIX, "SLAPD_ADMIN_PASSWORD", adminPassword,
                "SLAPD_READER_PASSWORD", readerPassword);
        try (OpenLdapPeer slapd = OpenLdapPeer.start(work.resolve("slapd"), env, ldif);
                DirectLdap direct = new DirectLdap("127.0.0.1", slapd.port(), SUFFIX, READER_DN, readerPassword, window);
                DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("cloud")))) {
            Files.delete(ldif); // hundreds of MB at large sizes; slapd has loaded it
            say(String.format("slapd with syncprov on %s, loaded with slapadd and started in %d ms", slapd.url(), ms(t0)));
            cloud.publishModule(DevPackages.built("directory"), "stable");
            ExtenderFixture f = ExtenderFixture.install(work.resolve("extender"), cloud, "bench", "bench-machine", false,
                    Map.of("commands.workers", Integer.toString(Math.max(8, window)), "commands.queue", "10000",
                            "health.interval", "1h"));
            try (Extender x = f.start()) {
                if (!x.awaitConnected(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the extender did not connect: " + x.channelStatus());
                }
                cloud.enableFeature("bench", "directory", moduleConfig(slapd, readerPassword));
                awaitModule(x, Duration.ofSeconds(60));
                Module m = new Module(cloud, x.extenderId());
                fullSync(m, direct, layout, pageSize, slapd.pid(), log);
                deltaSync(m, direct, layout, slapd, adminPassword);
                authentication(m, direct, layout, window, slapd.pid());
            }
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    /** (a) and (d): two full syncs through the whole path beside raw paged reads; heap peaks of each. */
    private void fullSync(Module m, DirectLdap direct, BenchDirectoryLdif layout, int pageSize, long slapdPid,
                          Path log) throws Exception {
        long t0 = System.nanoTime();
        long warm = direct.pagedRead(pageSize); // warms slapd's caches and this JVM's LDAP code
        long coldRead = ms(t0);
        say(String.format("raw paged read (warm-up): %,d entries in %d ms (expected %,d in scope)", warm, coldRead,
                layout.entriesInScope()));

        // No forced collection before a timed run: after System.gc() G1 shrinks the heap and the sync pays to
        // grow it again, which no service sees (the raw read, which allocates little, hardly pays it). The peaks
        // of the first run are therefore reset without one: an upper bound that includes the garbage present.
        // The JIT still compiles what the set-up and the warm-up read made hot (this JVM's LDIF writer and its
        // own copy of UnboundID among them). A service gets its first sync command on a JVM that has been up for
        // a while, so the first run starts once the compiler has been quiet for a moment.
        long waited = Boolean.parseBoolean(System.getProperty("bench.firstRunWhenJitQuiet", "true"))
                ? JitTime.awaitQuiet(20, 500, 15_000) : 0;
        HeapPeak.reset();
        long jitBefore = JitTime.millis();
        SyncRun first = m.sync("{\"full\":true}");
        long firstJit = JitTime.millis() - jitBefore;
        long peak1 = HeapPeak.peakSinceReset();
        try (var lines = Files.lines(log)) {
            lines.filter(l -> l.contains("warmed up") || l.contains("warm-up")).forEach(l -> say("module: " + l));
        }
        say("first full sync (empty baseline), started after " + waited + " ms for the JIT to be quiet: " + first
                + "; JIT " + firstJit + " ms during it");
        // C2 still compiles through the second to the fifth run (the module's own copy of UnboundID and Jackson
        // at first, then the TLS record ciphers of the upload path, which cross C2's thresholds only after a
        // few hundred records), on 2 cores shared with the sync: untimed runs first, at least bench.warmSyncs,
        // then more until one ran with the JIT quiet, so that the timed runs measure the steady state a
        // long-running service sees. Each run prints the compilation time the JVM reports during it.
        int minWarm = Integer.getInteger("bench.warmSyncs", 3);
        int maxWarm = Math.max(minWarm, Integer.getInteger("bench.maxWarmSyncs", 10));
        long quietJit = Long.getLong("bench.quietJitMillis", 150);
        long before2 = 0;
        long peak2 = 0;
        int run = 1;
        long jit = Long.MAX_VALUE;
        for (int i = 0; i < minWarm || (i < maxWarm && jit > quietJit); i++) {
            // the steady run's heap, measured on the last untimed run (after a GC), not on a timed one
            before2 = HeapPeak.usedAfterGc();
            HeapPeak.reset();
            long jit0 = JitTime.millis();
            SyncRun warmRun = m.sync("{\"full\":true}");
            jit = JitTime.millis() - jit0;
            peak2 = HeapPeak.peakSinceReset();
            say("untimed full sync " + (++run) + ", to warm up the JIT: " + warmRun + "; JIT " + jit + " ms during it");
        }
        boolean steady = jit <= quietJit;
        if (!steady) {
            say("the JIT was still compiling after " + (run - 1) + " untimed runs (" + jit + " ms in the last): the timed "
                    + "runs below include warm-up");
        }

        // Alternating rounds of a raw read and a sync: each sync is divided by the read just before it, and the
        // median of the rounds is judged. One read and one sync differ between runs by more than the distance to
        // the goal on a shared machine; adjacent pairs share its state at the time.
        int rounds = Math.max(1, Integer.getInteger("bench.rounds", 3));
        List<Double> raws = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> syncs = new ArrayList<>();
        CpuUse rawCpu = null;
        CpuUse syncCpu = null;
        UploadTally up = null;
        SyncRun timed = null;
        for (int r = 1; r <= rounds; r++) {
            CpuUse cpu = CpuUse.now(slapdPid);
            double raw = timedRawRead(direct, pageSize);
            rawCpu = CpuUse.since(cpu, slapdPid);
            Set<String> slots = UploadTally.slots(m.cloud.uploads());
            cpu = CpuUse.now(slapdPid);
            long jit0 = JitTime.millis();
            timed = m.sync("{\"full\":true}");
            long timedJit = JitTime.millis() - jit0;
            syncCpu = CpuUse.since(cpu, slapdPid);
            up = UploadTally.since(slots, m.cloud.uploads());
            raws.add(raw);
            syncs.add(timed.wallMillis);
            ratios.add(timed.wallMillis / raw);
            say(String.format("timed full sync, round %d of %d (run %d, baseline of %d entries): %s; JIT %d ms during "
                    + "it; ÷ the raw read just before: %.2f", r, rounds, ++run, first.entries, timed, timedJit,
                    timed.wallMillis / raw));
        }
        say(String.format("  uploaded %d chunks, %,d bytes gzip'd, %,d bytes of JSON lines, %,d records: "
                + "%.0f bytes gzip'd per entry (the last round)", up.chunks(), up.gzipBytes(), up.jsonBytes(),
                up.records(), (double) up.gzipBytes() / timed.entries));
        long t1 = System.nanoTime();
        long synced = direct.contentSyncRead();
        double contentSync = (System.nanoTime() - t1) / 1e6;
        say(String.format("raw content sync read (the module's request on slapd, entries only counted): %,d entries "
                + "in %,.0f ms", synced, contentSync));

        HeapPeak.usedAfterGc();
        HeapPeak.reset();
        timedRawRead(direct, pageSize);
        long rawPeak = HeapPeak.peakSinceReset();

        double ratio = median(ratios);
        double raw = median(raws);
        double fastest = raws.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        report("(a) full sync, %,d entries, dev cloud → channel → module → uploads, %d rounds after %d untimed runs "
                + "(JIT %s): %s ms (module's own report of the last %,d ms); raw paged reads of the same entries "
                + "(UnboundID, page %d) just before each: %s ms; ratio %s, median %.2f (goal ≤ 1.3: %s); first run "
                + "%,.0f ms, first run's ratio %.2f to the median raw read (goal ≤ 2: %s; %.2f to the fastest; for "
                + "scale, the first raw read in this JVM, slapd's first of these entries too, took %,d ms: %.2f× the "
                + "median warm one)",
                timed.entries, rounds, run - rounds - 1, steady ? "quiet" : "still compiling", joined(syncs, "%,.0f"),
                timed.moduleMillis, pageSize, joined(raws, "%,.0f"), joined(ratios, "%.2f"), ratio, met(ratio <= 1.3),
                first.wallMillis, first.wallMillis / raw, met(first.wallMillis / raw <= 2), first.wallMillis / fastest,
                coldRead, coldRead / raw);
        report("(d) heap during the full sync (sum of the heap pools' peaks): first run %s (reset without a GC, an "
                + "upper bound), steady run %s (the last untimed run, reset after a GC; in use before it %s); peak "
                + "of the raw paged read, reset after a GC: %s; max heap %s (%s)", HeapPeak.mib(peak1),
                HeapPeak.mib(peak2), HeapPeak.mib(before2), HeapPeak.mib(rawPeak),
                HeapPeak.mib(Runtime.getRuntime().maxMemory()), xmx());
        report("    where the time goes (the last round): raw paged read %s; timed full sync %s", rawCpu, syncCpu);
        report("    raw content sync read of the same entries, the request the module sends to slapd: %,.0f ms "
                + "(the median sync ÷ this: %.2f)", contentSync, median(syncs) / contentSync);
    }

    private double timedRawRead(DirectLdap direct, int pageSize) throws LDAPException {
        long t0 = System.nanoTime();
        long n = direct.pagedRead(pageSize);
        double millis = (System.nanoTime() - t0) / 1e6;
        say(String.format("raw paged read: %,d entries in %,.0f ms", n, millis));
        return millis;
    }

    /** (b) a delta with no change, then a delta after {@code bench.changes} modified users. */
    private void deltaSync(Module m, DirectLdap direct, BenchDirectoryLdif layout, OpenLdapPeer slapd,
            String adminPassword) throws Exception {
        int changes = Math.min(Integer.getInteger("bench.changes", 100), layout.users());
        SyncRun quiet = m.sync("{}");
        say("delta sync with no change: " + quiet);

        List<String> uids = new ArrayList<>();
        try (LDAPConnection admin = new LDAPConnection("127.0.0.1", slapd.port(), ADMIN_DN, adminPassword)) {
            int step = layout.users() / changes;
            for (int k = 0; k < changes; k++) {
                int i = k * step;
                uids.add(BenchDirectoryLdif.uid(i));
                admin.modify(layout.userDn(i),
                        new Modification(ModificationType.REPLACE, "mail", BenchDirectoryLdif.uid(i) + "@changed.example.test"),
                        new Modification(ModificationType.REPLACE, "displayName", "Changed User " + i));
            }
        }
        Set<String> slots = UploadTally.slots(m.cloud.uploads());
        SyncRun delta = m.sync("{}");
        UploadTally up = UploadTally.since(slots, m.cloud.uploads());
        say("delta sync after " + changes + " modified users: " + delta);
        long t0 = System.nanoTime();
        int read = direct.readUsers(uids);
        double directMs = (System.nanoTime() - t0) / 1e6;
        report("(b) delta sync after %d modified users (mail and displayName): %,.0f ms (goal ≤ 2 s: %s), %d entries "
                + "read, %d modified; delta with no change %,.0f ms; direct read of the same %d entries %,.1f ms",
                changes, delta.wallMillis, met(delta.wallMillis <= 2000 && delta.modified == changes), delta.entries,
                delta.modified, quiet.wallMillis, read, directMs);
        report("    uploaded %d chunk(s): %,d bytes gzip'd = %.0f bytes per changed entry (%,d bytes of JSON lines, "
                + "%d records = %.0f bytes each uncompressed)", up.chunks(), up.gzipBytes(),
                (double) up.gzipBytes() / changes, up.jsonBytes(), up.records(),
                up.records() == 0 ? 0.0 : (double) up.jsonBytes() / up.records());
    }

    /** (c) 16 authentications in flight through the whole path, beside the same search-then-bind done directly. */
    private void authentication(Module m, DirectLdap direct, BenchDirectoryLdif layout, int window, long slapdPid)
            throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.authSeconds", "10"));
        int n = layout.withPassword();
        Supplier<CompletableFuture<CommandOutcome>> viaModule = () -> {
            int i = ThreadLocalRandom.current().nextInt(n);
            // uid and password are letters, digits, '-' and '_' only: no JSON escaping needed.
            String args = "{\"username\":\"" + BenchDirectoryLdif.uid(i) + "\",\"password\":\"" + layout.password(i) + "\"}";
            return m.cloud.sendToExtender(m.extenderId, "directory", "authenticate", args, Duration.ofSeconds(30));
        };
        ExecutorService callers = Executors.newFixedThreadPool(window);
        try {
            Supplier<CompletableFuture<Boolean>> directly = () -> CompletableFuture.supplyAsync(() -> {
                int i = ThreadLocalRandom.current().nextInt(n);
                try {
                    return direct.searchThenBind(BenchDirectoryLdif.uid(i), layout.password(i));
                } catch (LDAPException e) {
                    throw new CompletionException(e);
                }
            }, callers);
            TimedLoop.run(window, 2, viaModule, o -> o.isOk() && o.payload().contains("\"authenticated\":true"));
            TimedLoop.run(window, 2, directly, ok -> ok);
            CpuUse cpu = CpuUse.now(slapdPid);
            TimedLoop.Result base = TimedLoop.run(window, seconds, directly, ok -> ok);
            CpuUse baseCpu = CpuUse.since(cpu, slapdPid);
            cpu = CpuUse.now(slapdPid);
            TimedLoop.Result full = TimedLoop.run(window, seconds, viaModule,
                    o -> o.isOk() && o.payload().contains("\"authenticated\":true"));
            CpuUse fullCpu = CpuUse.since(cpu, slapdPid);
            double ratio = full.perSecond() / base.perSecond();
            report("(c) authentication, %d in flight for %.0f s, random users of %,d: %,.0f/s, p50 %.2f ms, p99 %.2f ms, "
                    + "%d failed; direct search-then-bind (UnboundID: pooled search, then a bind on a new connection, "
                    + "as the module does): %,.0f/s, p50 %.2f ms, p99 %.2f ms, %d failed; throughput ratio %.2f "
                    + "(goal ≥ 0.5: %s); p99 ratio %.1f", window, seconds, n, full.perSecond(), full.run().pct(50),
                    full.run().pct(99), full.run().failed(), base.perSecond(), base.run().pct(50), base.run().pct(99),
                    base.run().failed(), ratio, met(ratio >= 0.5 && full.run().failed() == 0),
                    full.run().pct(99) / base.run().pct(99));
            report("    CPU per authentication: through the module %s; direct %s", perOp(fullCpu, full),
                    perOp(baseCpu, base));
            if (!full.run().firstFailures().isEmpty()) {
                report("    first failures through the module: %s", full.run().firstFailures());
            }
            if (!base.run().firstFailures().isEmpty()) {
                report("    first failures of the direct binds: %s", base.run().firstFailures());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static String perOp(CpuUse cpu, TimedLoop.Result r) {
        long n = r.run().latencies().length;
        return String.format("this JVM %.0f µs, slapd %.0f µs (%s)", cpu.jvmNanos() / 1e3 / n, cpu.peerNanos() / 1e3 / n,
                cpu);
    }

    /** The directory module's configuration, as a customer would enter it in the cloud. */
    private static Map<String, String> moduleConfig(OpenLdapPeer slapd, String readerPassword) {
        Map<String, String> c = new TreeMap<>();
        c.put("profiles", "corp");
        c.put("profile.corp.type", "openLdap");
        c.put("profile.corp.servers", slapd.url());
        // The benchmark's slapd (scripts/peers/openldap) has no TLS set up and listens on 127.0.0.1 only.
        c.put("profile.corp.allowPlaintext", "true");
        c.put("profile.corp.bindDn", READER_DN);
        c.put("profile.corp.bindPassword", readerPassword);
        c.put("profile.corp.baseDn", SUFFIX);
        c.put("sync.profiles", "corp");
        c.put("sync.corp.includeOus", "ou=People," + SUFFIX + ";ou=Groups," + SUFFIX);
        c.put("sync.interval", "0s"); // only the benchmark's commands sync
        c.put("sync.warmUp", System.getProperty("bench.warmUp", "true"));
        String poolSize = System.getProperty("bench.poolSize");
        if (poolSize != null) {
            c.put("profile.corp.poolSize", poolSize); // else the module's default
        }
        return c;
    }

    /** The module as the cloud reaches it. */
    private record Module(DevCloud cloud, String extenderId) {
        SyncRun sync(String args) throws Exception {
            long t0 = System.nanoTime();
            CommandOutcome o = cloud.sendToExtender(extenderId, "directory", "sync", args, SYNC_LIMIT)
                    .get(SYNC_LIMIT.toMinutes() + 1, TimeUnit.MINUTES);
            double wall = (System.nanoTime() - t0) / 1e6;
            if (!o.isOk()) {
                throw new IllegalStateException("directory/sync " + args + " failed: " + o.errorCode() + " " + o.payload());
            }
            JsonNode p = JSON.readTree(o.payload()).path("profiles").path(0);
            return new SyncRun(wall, p.path("millis").asLong(), p.path("method").asText(), p.path("mode").asText(),
                    p.path("entries").asLong(), p.path("added").asLong(), p.path("modified").asLong(),
                    p.path("chunks").size());
        }
    }

    /** One sync as the cloud saw it (wall time from send to result) and as the module reported it. */
    private record SyncRun(double wallMillis, long moduleMillis, String method, String mode, long entries, long added,
            long modified, int chunks) {
        @Override
        public String toString() {
            return String.format("%,.0f ms through the cloud (module %,d ms), %s %s, %,d entries, %,d added, %,d modified, "
                    + "%d chunks", wallMillis, moduleMillis, mode, method, entries, added, modified, chunks);
        }
    }

    private static void awaitModule(Extender x, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (x.modules().activeVersion("directory").isEmpty()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the directory module did not start within " + limit + ": "
                        + x.modules().report());
            }
            Thread.sleep(50);
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "Bench-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String xmx() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-Xmx"))
                .reduce((a, b) -> b).orElse("no -Xmx: the JVM's default");
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String joined(List<Double> values, String format) {
        return String.join(", ", values.stream().map(v -> String.format(format, v)).toList());
    }

    private static String met(boolean ok) {
        return ok ? "met" : "NOT met";
    }

    private void report(String format, Object... args) {
        String line = String.format(format, args);
        summary.add(line);
        say(line);
    }

    private static void say(String s) {
        System.out.println("[directory-bench] " + s);
    }
}
