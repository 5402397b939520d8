package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The short form of {@code scripts/chaos} in {@code mvn verify}: a fixed set of seeds, each a few episodes
 * of kills and network faults against an extender process; one of them also cuts the connection in a
 * row for the reconnect and leak figures. A failure names the seed; {@code scripts/chaos --seed S
 * --episodes K --cuts M} replays it.
 */
class ChaosIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"11, 3, 0", "22, 3, 0", "33, 3, 25"})
    void noInvariantIsViolated(long seed, int episodes, int cuts) throws Exception {
        ChaosRun.Report r = new ChaosRun(seed, new ChaosRun.Options(episodes, cuts, List.of()), dir).run();
        System.out.println(Figures.describe(r));
        assertEquals(List.of(), r.violations(), "seed " + seed + " broke invariants; replay: scripts/chaos --seed "
                + seed + " --episodes " + episodes + " --cuts " + cuts);
        assertTrue(r.findings().commands() > 0);
    }

    /**
     * kill -9 during a module install and during upgrades (swaps): after each restart the module ends up
     * at the published version and answers. Needs the example module's package (built before integration).
     */
    @Test
    void aKillDuringAModuleInstallLeavesAWorkingModule() throws Exception {
        ChaosRun.Report r = new ChaosRun(44, new ChaosRun.Options(0, 0, List.of(), 3), dir).run();
        System.out.println(Figures.describe(r));
        assertEquals(List.of(), r.violations(), "replay: scripts/chaos --seed 44 --episodes 0 --cuts 0 "
                + "--install-kills 3");
        assertEquals(3, r.faults().get("kill -9 during a module install"));
    }

    /**
     * kill -9 during directory sync uploads: after each restart the sync runs again and succeeds, the cloud's
     * copy equals the directory (a user deleted in the round included) and the baseline equals it too. Needs
     * the directory module's package (built before integration).
     */
    @Test
    void aKillDuringASyncUploadLeavesTheCloudsCopyAndTheBaselineEqualToTheDirectory() throws Exception {
        ChaosRun.Report r = new ChaosRun(66, new ChaosRun.Options(0, 0, List.of(), 0, 3), dir).run();
        System.out.println(Figures.describe(r));
        assertEquals(List.of(), r.violations(), "replay: scripts/chaos --seed 66 --episodes 0 --cuts 0 "
                + "--sync-kills 3");
        assertEquals(3, r.faults().get("kill -9 during a directory sync"));
    }

    /**
     * The dev cloud restarts in the middle of command streams: every command still gets one successful outcome,
     * none runs again after its result was stored.
     */
    @Test
    void aCloudRestartInTheMiddleOfCommandsLosesNoneAndRunsNoneTwice() throws Exception {
        ChaosRun.Report r = new ChaosRun(77, new ChaosRun.Options(0, 0, List.of(), 0, 0, 3), dir).run();
        System.out.println(Figures.describe(r));
        assertEquals(List.of(), r.violations(), "replay: scripts/chaos --seed 77 --episodes 0 --cuts 0 "
                + "--cloud-restarts 3");
        assertEquals(3, r.faults().get("dev cloud restart"));
        assertTrue(r.findings().commands() >= 120, "commands: " + r.findings().commands());
    }

    /** The harness can fail: an extender whose action runs twice per command is caught. */
    @Test
    void aCommandRunTwiceIsDetected() throws Exception {
        ChaosRun.Report r = new ChaosRun(11, new ChaosRun.Options(1, 0,
                List.of("-D" + JournalAction.INJECT_TWICE + "=true")), dir).run();
        System.out.println(Figures.describe(r));
        assertFalse(r.violations().isEmpty());
        assertTrue(r.violations().stream().allMatch(v -> v.contains("ran more than once in one process")),
                r.violations().toString());
        assertEquals(r.findings().commands(), r.violations().size());
    }
}
