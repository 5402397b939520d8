package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.cloudextender.chaos.Invariants.Findings;
import com.cloudextender.chaos.Invariants.Run;
import com.cloudextender.chaos.Invariants.Sent;
import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.ResultView;

class InvariantsTest {
    private static CommandOutcome ok(String id, long pid) {
        return new CommandOutcome(id, "ext", null, "{\"cmd\":\"" + id + "\",\"pid\":" + pid + "}", null, 5);
    }

    private static ResultView stored(CommandOutcome o, int times) {
        return new ResultView(o.commandId(), "ext", null, o.payload(), times);
    }

    private static Findings check(CommandOutcome o, List<Run> runs) {
        return Invariants.check(List.of(new Sent(1, "e1", o)), List.of(stored(o, 1)), runs);
    }

    @Test
    void aCommandRunOnceWithItsResultStoredPasses() {
        Findings f = check(ok("c1", 10), List.of(new Run("c1", 10)));
        assertEquals(List.of(), f.violations());
    }

    @Test
    void aRerunAfterACrashThatProducedTheStoredResultPasses() {
        // The first run was cut by a kill before its result was stored; the redelivered command ran again.
        Findings f = check(ok("c1", 11), List.of(new Run("c1", 10), new Run("c1", 11)));
        assertEquals(List.of(), f.violations());
        assertEquals(1, f.rerunsAfterCrash());
    }

    @Test
    void aCommandThatRanTwiceInOneProcessIsAViolation() {
        Findings f = check(ok("c1", 10), List.of(new Run("c1", 10), new Run("c1", 10)));
        assertEquals(1, f.violations().size(), f.violations().toString());
        assertTrue(f.violations().get(0).contains("ran more than once in one process"));
    }

    @Test
    void aRunAfterTheStoredResultIsAViolation() {
        // The stored result came from process 10, yet the command ran again in process 11.
        Findings f = check(ok("c1", 10), List.of(new Run("c1", 10), new Run("c1", 11)));
        assertEquals(1, f.violations().size(), f.violations().toString());
        assertTrue(f.violations().get(0).contains("ran again after its result"));
    }

    @Test
    void aMissingOutcomeAFailureAndAForeignResultAreViolations() {
        CommandOutcome failed = new CommandOutcome("c2", "ext", "TIMEOUT", "{\"local\":true}", null, 62_000);
        CommandOutcome foreign = new CommandOutcome("c3", "ext", null, "{\"cmd\":\"c9\",\"pid\":10}", null, 5);
        Findings f = Invariants.check(List.of(new Sent(1, "e1", null), new Sent(2, "e1", failed),
                new Sent(3, "e1", foreign)), List.of(stored(foreign, 1)), List.of(new Run("c3", 10)));
        assertEquals(3, f.violations().size(), f.violations().toString());
        assertTrue(f.violations().get(0).contains("no outcome"));
        assertTrue(f.violations().get(1).contains("TIMEOUT"));
        assertTrue(f.violations().get(2).contains("result of c9"));
    }

    @Test
    void aResultWithoutARunInTheJournalIsAViolation() {
        Findings f = check(ok("c1", 10), List.of());
        assertEquals(1, f.violations().size());
        assertTrue(f.violations().get(0).contains("does not hold"));
    }

    @Test
    void duplicateDeliveriesAreCountedNotViolations() {
        CommandOutcome o = ok("c1", 10);
        Findings f = Invariants.check(List.of(new Sent(1, "e1", o)), List.of(stored(o, 3)), List.of(new Run("c1", 10)));
        assertEquals(List.of(), f.violations());
        assertEquals(2, f.duplicateDeliveries());
    }
}
