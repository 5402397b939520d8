package com.cloudextender.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code scripts/chaos}: runs the fault-injection harness and prints its figures.
 *
 * <pre>
 * --seed S          one run of seed S (replays a failing run)
 * --seeds A,B,C     one run per seed
 * --minutes N       runs with fresh seeds until N minutes have passed
 * --episodes K      episodes per run (default 6)
 * --cuts M          connection cuts per run for the reconnect and leak figures (default 50)
 * --install-kills N rounds of a module install or upgrade with a kill -9 in it (default 0; needs the
 *                   example module's package, modules/example/target/*.cxm)
 * --sync-kills N    rounds of a directory sync with a kill -9 in it (default 0; needs the directory
 *                   module's package, modules/directory/target/*.cxm)
 * --cloud-restarts N rounds of a command stream during which the dev cloud restarts (default 0)
 * --first-start-kills N  instead of the runs above: N fresh installations, each killed at a seeded moment
 *                   of its first start (sealing, registration) and started again ({@link FirstStartKills})
 * --keep            keep each run's folder (logs, journal); failing runs are always kept
 * </pre>
 *
 * Exits 1 when an invariant was violated, naming the seed to replay.
 */
public final class ChaosMain {
    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> seeds = new ArrayList<>();
        double minutes = 0;
        int episodes = 6;
        int cuts = 50;
        int installKills = 0;
        int syncKills = 0;
        int cloudRestarts = 0;
        int firstStartKills = 0;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--seed" -> seeds.add(Long.parseLong(value(args, ++i, a)));
                case "--seeds" -> {
                    for (String s : value(args, ++i, a).split(",")) {
                        seeds.add(Long.parseLong(s.trim()));
                    }
                }
                case "--minutes" -> minutes = Double.parseDouble(value(args, ++i, a));
                case "--episodes" -> episodes = Integer.parseInt(value(args, ++i, a));
                case "--cuts" -> cuts = Integer.parseInt(value(args, ++i, a));
                case "--install-kills" -> installKills = Integer.parseInt(value(args, ++i, a));
                case "--sync-kills" -> syncKills = Integer.parseInt(value(args, ++i, a));
                case "--cloud-restarts" -> cloudRestarts = Integer.parseInt(value(args, ++i, a));
                case "--first-start-kills" -> firstStartKills = Integer.parseInt(value(args, ++i, a));
                case "--keep" -> keep = true;
                default -> {
                    System.err.println("chaos: unknown option '" + a + "'; use --seed S, --seeds A,B, --minutes N, "
                            + "--episodes K, --cuts M, --install-kills N, --sync-kills N, --cloud-restarts N, "
                            + "--first-start-kills N, --keep");
                    System.exit(2);
                }
            }
        }
        if (firstStartKills > 0) {
            System.exit(firstStartKills(seeds.isEmpty() ? new java.util.SplittableRandom().nextLong() : seeds.get(0),
                    firstStartKills, keep));
        }
        if (seeds.isEmpty() && minutes <= 0) {
            minutes = 5;
        }
        ChaosRun.Options options = new ChaosRun.Options(episodes, cuts, List.of(), installKills, syncKills,
                cloudRestarts);
        List<ChaosRun.Report> reports = new ArrayList<>();
        long end = System.nanoTime() + (long) (minutes * 60e9);
        java.util.SplittableRandom seedSource = new java.util.SplittableRandom();
        int next = 0;
        while (next < seeds.size() || (minutes > 0 && System.nanoTime() < end)) {
            long seed = next < seeds.size() ? seeds.get(next) : seedSource.nextLong();
            next++;
            Path dir = Files.createTempDirectory("chaos-" + Long.toUnsignedString(seed) + "-");
            ChaosRun.Report r = new ChaosRun(seed, options, dir).run();
            reports.add(r);
            System.out.println(Figures.describe(r));
            if (!r.violations().isEmpty()) {
                System.out.println("  kept " + dir + "; replay: scripts/chaos --seed " + seed + " --episodes "
                        + episodes + " --cuts " + cuts + (installKills > 0 ? " --install-kills " + installKills : "")
                        + (syncKills > 0 ? " --sync-kills " + syncKills : "")
                        + (cloudRestarts > 0 ? " --cloud-restarts " + cloudRestarts : ""));
            } else if (!keep) {
                Figures.deleteTree(dir);
            }
        }
        System.out.println(Figures.summary(reports));
        System.exit(reports.stream().allMatch(r -> r.violations().isEmpty()) ? 0 : 1);
    }

    /** The first-start mode: prints each round, returns the exit code. */
    private static int firstStartKills(long seed, int rounds, boolean keep) throws Exception {
        Path dir = Files.createTempDirectory("chaos-first-start-" + Long.toUnsignedString(seed) + "-");
        List<FirstStartKills.Round> result = FirstStartKills.run(seed, rounds, 4_000, dir);
        long beforeReady = result.stream().filter(r -> !r.killedAfterReady()).count();
        List<String> violations = result.stream().flatMap(r -> r.violations().stream()).toList();
        result.forEach(r -> System.out.println("  round " + r.number() + ": kill after " + r.killAfterMillis() + " ms, "
                + (r.killedAfterReady() ? "after" : "before") + " the extender was ready; "
                + (r.violations().isEmpty() ? "came back as " + r.extenderId() : String.join("; ", r.violations()))));
        System.out.println("first-start kills, seed " + seed + ": " + rounds + " rounds, " + beforeReady
                + " killed before ready, " + violations.size() + " violation(s)");
        if (!violations.isEmpty()) {
            System.out.println("  kept " + dir + "; replay: scripts/chaos --seed " + seed + " --first-start-kills " + rounds);
            return 1;
        }
        if (!keep) {
            Figures.deleteTree(dir);
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println("chaos: " + option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    static Map<String, Integer> merged(List<ChaosRun.Report> reports) {
        Map<String, Integer> all = new TreeMap<>();
        reports.forEach(r -> r.faults().forEach((k, v) -> all.merge(k, v, Integer::sum)));
        return all;
    }
}
