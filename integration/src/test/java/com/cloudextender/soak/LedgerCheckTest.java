package com.cloudextender.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.soak.LedgerCheck.Verdict;

class LedgerCheckTest {
    private static final long S = 1_000_000_000L;
    private static final long GRACE = 10 * S;
    /** A cut at 100 s, the extender back at 101 s. */
    private static final List<Cut> CUT = List.of(new Cut(100 * S, 101 * S));

    private static CommandRecord ok(long sent, long answered) {
        return new CommandRecord(1, "core/ping", sent, answered,
                new CommandOutcome("c1", "x", null, "{}", null, (answered - sent) / 1_000_000));
    }

    private static CommandRecord failed(long sent, long answered, String code, String payload) {
        return new CommandRecord(1, "core/ping", sent, answered,
                new CommandOutcome("c1", "x", code, payload, null, (answered - sent) / 1_000_000));
    }

    @Test
    void aSuccessFarFromAnyCutIsOk() {
        assertEquals(Verdict.OK, LedgerCheck.verdict(ok(10 * S, 11 * S), CUT, GRACE));
    }

    @Test
    void aSuccessInFlightAtTheCutAndAnsweredAfterTheReconnectWasCaughtByIt() {
        assertEquals(Verdict.ANSWERED_AFTER_CUT, LedgerCheck.verdict(ok(99 * S, 102 * S), CUT, GRACE));
        // Sent while the channel was down.
        assertEquals(Verdict.ANSWERED_AFTER_CUT, LedgerCheck.verdict(ok(100 * S + 5, 101 * S + 7), CUT, GRACE));
    }

    @Test
    void aSuccessAnsweredBeforeTheCutOrSentAfterTheReconnectIsOk() {
        assertEquals(Verdict.OK, LedgerCheck.verdict(ok(98 * S, 99 * S), CUT, GRACE));
        assertEquals(Verdict.OK, LedgerCheck.verdict(ok(102 * S, 103 * S), CUT, GRACE));
    }

    @Test
    void aFailureAnsweredByTheExtenderAfterTheReconnectIsCutCausedAndAnswered() {
        CommandRecord c = failed(99 * S, 103 * S, "MODULE_FAILURE", "{\"message\":\"upload slot refused\"}");
        assertEquals(Verdict.CUT_FAILURE_ANSWERED, LedgerCheck.verdict(c, CUT, GRACE));
    }

    @Test
    void aFailureWithinTheGraceAfterTheReconnectIsStillPutDownToTheCut() {
        CommandRecord c = failed(105 * S, 106 * S, "MODULE_FAILURE", "{}");
        assertEquals(Verdict.CUT_FAILURE_ANSWERED, LedgerCheck.verdict(c, CUT, GRACE));
    }

    @Test
    void theCloudGivingUpDuringACutIsACutFailureNotAnswered() {
        CommandRecord timeout = failed(99 * S, 160 * S, "TIMEOUT", "{\"message\":\"no result\",\"local\":true}");
        assertEquals(Verdict.CUT_FAILURE_UNANSWERED, LedgerCheck.verdict(timeout, CUT, GRACE));
        CommandRecord beforeReconnect = failed(99 * S, 100 * S + 1, "BUSY", "{}");
        assertEquals(Verdict.CUT_FAILURE_UNANSWERED, LedgerCheck.verdict(beforeReconnect, CUT, GRACE));
    }

    @Test
    void aFailureAfterTheGraceIsAPlainFailure() {
        assertEquals(Verdict.FAILED, LedgerCheck.verdict(failed(112 * S, 113 * S, "MODULE_FAILURE", "{}"), CUT, GRACE));
        assertEquals(Verdict.FAILED, LedgerCheck.verdict(failed(10 * S, 11 * S, "TIMEOUT", "{}"), List.of(), GRACE));
    }

    @Test
    void aCommandWithoutOutcomeFailsTheGoalWhateverTheCuts() {
        CommandRecord none = new CommandRecord(1, "core/ping", 99 * S, -1, null);
        assertEquals(Verdict.NO_OUTCOME, LedgerCheck.verdict(none, CUT, GRACE));
    }

    @Test
    void aCutWithoutReconnectAnswersNothingAfterIt() {
        List<Cut> lost = List.of(new Cut(100 * S, -1));
        assertEquals(Verdict.CUT_FAILURE_UNANSWERED,
                LedgerCheck.verdict(failed(99 * S, 200 * S, "MODULE_FAILURE", "{}"), lost, GRACE));
        assertEquals(Verdict.OK, LedgerCheck.verdict(ok(99 * S, 200 * S), lost, GRACE),
                "a success is never a failure, even if no reconnect was seen");
    }

    @Test
    void countsAndViolationsCoverEveryCommand() {
        LedgerCheck.Findings f = LedgerCheck.check(List.of(ok(10 * S, 11 * S), ok(99 * S, 102 * S),
                failed(50 * S, 51 * S, "MODULE_FAILURE", "{}"), new CommandRecord(4, "core/ping", 5 * S, -1, null)),
                CUT, GRACE);
        assertEquals(1, f.count(Verdict.OK));
        assertEquals(1, f.count(Verdict.ANSWERED_AFTER_CUT));
        assertEquals(1, f.count(Verdict.FAILED));
        assertEquals(1, f.count(Verdict.NO_OUTCOME));
        assertEquals(List.of(Verdict.FAILED, Verdict.NO_OUTCOME),
                f.violations().stream().map(LedgerCheck.Judged::verdict).toList());
    }
}
