package com.cloudextender.chaos;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

import com.cloudextender.core.config.ConfigLoader;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.demo.ExtenderFixture;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

/**
 * kill -9 at a seeded moment of an extender's very first start, then a plain restart, in a fresh
 * installation each round. The first start is where the configuration's clear secrets are sealed in place,
 * the activation code is spent on registration and the account the cloud gives is written back: a crash
 * in any of these must leave a folder the next start continues from. Checked after each restart: the
 * extender comes up and connects, the configuration holds no secret in clear, and the cloud has
 * registered one extender for the installation, not two.
 */
public final class FirstStartKills {
    private static final String CUSTOMER = "first-start";

    /** One round: when the kill came, whether the extender had reported ready by then, and what went wrong. */
    public record Round(int number, long killAfterMillis, boolean killedAfterReady, String extenderId,
            List<String> violations) {
    }

    private FirstStartKills() {
    }

    /**
     * Runs {@code rounds} rounds with kill moments drawn from {@code seed}, up to {@code maxKillMillis}
     * after the process starts (a first start takes 1 to 3 s on 2 cores, so 4,000 spreads the kills over
     * JVM start, sealing, registration and the first login).
     */
    public static List<Round> run(long seed, int rounds, long maxKillMillis, Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Round> out = new ArrayList<>();
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(dir.resolve("cloud")))) {
            for (int i = 1; i <= rounds; i++) {
                out.add(round(cloud, i, random.nextLong(0, maxKillMillis + 1), dir.resolve("round-" + i)));
            }
        }
        return out;
    }

    private static Round round(DevCloud cloud, int number, long killAfter, Path home) throws Exception {
        int before = registered(cloud);
        ExtenderFixture fixture = ExtenderFixture.install(home, cloud, CUSTOMER, "unused", false, Map.of());
        Path log = home.resolve("extender.log");
        Path journal = home.resolve("journal.txt");
        ExtenderProcess first = ExtenderProcess.start(home, fixture.config(), journal, log, List.of());
        Thread.sleep(killAfter);
        boolean wasReady = first.output().contains(ChaosExtenderMain.READY);
        first.kill();
        List<String> violations = new ArrayList<>();
        ExtenderProcess second = ExtenderProcess.start(home, fixture.config(), journal, log, List.of());
        String id = null;
        try {
            id = second.awaitReady(Duration.ofSeconds(60));
            if (!cloud.awaitConnected(id, Duration.ofSeconds(30))) {
                violations.add("round " + number + ": the extender did not connect after the restart");
            }
        } catch (IOException e) {
            violations.add("round " + number + " (kill after " + killAfter + " ms): the restart did not come up: "
                    + lastLines(e.getMessage(), 6) + " (see " + log + ")");
        } finally {
            second.kill();
        }
        violations.addAll(clearSecrets(fixture.config(), number));
        int added = registered(cloud) - before;
        if (added > 1) {
            violations.add("round " + number + " (kill after " + killAfter + " ms): the cloud registered " + added
                    + " extenders for one installation");
        }
        return new Round(number, killAfter, wasReady, id, violations);
    }

    private static int registered(DevCloud cloud) {
        return (int) cloud.extenders().stream().filter(e -> CUSTOMER.equals(e.customer())).count();
    }

    /** Secret keys whose value in the file, as it is read, is neither empty nor sealed. */
    static List<String> clearSecrets(Path config, int round) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(config)));
        List<String> out = new ArrayList<>();
        for (String key : ConfigLoader.SECRET_KEYS) {
            String v = p.getProperty(key, "").trim();
            if (!v.isEmpty() && !SecretBox.isSealed(v)) {
                out.add("round " + round + ": " + key + " is in clear in " + config);
            }
        }
        return out;
    }

    /** The first line of {@code s} and its last {@code n} lines (the process's last words), on one line. */
    private static String lastLines(String s, int n) {
        if (s == null) {
            return "";
        }
        List<String> lines = s.lines().filter(l -> !l.isBlank()).toList();
        List<String> tail = lines.subList(Math.max(1, lines.size() - n), lines.size());
        return (lines.isEmpty() ? "" : lines.get(0)) + (tail.isEmpty() ? "" : " … " + String.join(" | ", tail));
    }
}
