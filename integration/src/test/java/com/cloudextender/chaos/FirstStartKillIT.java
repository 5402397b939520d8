package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during the first start (sealing the configuration, registration, writing the account back),
 * then a restart: every round comes up registered once with no secret in clear. The long form is
 * {@code scripts/chaos --first-start-kills N}.
 */
class FirstStartKillIT {
    @TempDir
    Path dir;

    @Test
    void aKillDuringTheFirstStartLeavesAnInstallationTheNextStartContinuesFrom() throws Exception {
        List<FirstStartKills.Round> rounds = FirstStartKills.run(55, 6, 4_000, dir);
        rounds.forEach(r -> System.out.println("first-start kill " + r));
        assertEquals(List.of(), rounds.stream().flatMap(r -> r.violations().stream()).toList(),
                "replay: scripts/chaos --seed 55 --first-start-kills 6");
        // The seed spreads the kills: some before the extender was ready, so the sealing and registration
        // path was interrupted, not only a running extender.
        assertTrue(rounds.stream().anyMatch(r -> !r.killedAfterReady()), rounds.toString());
    }

    @Test
    void aSecretLeftInClearIsReported() throws Exception {
        Path config = dir.resolve("extender.properties");
        Files.writeString(config, "xmpp.password=clear\nproxy.password=enc:v2:abc\nactivation.code=\n");
        assertEquals(List.of("round 1: xmpp.password is in clear in " + config),
                FirstStartKills.clearSecrets(config, 1));
    }
}
