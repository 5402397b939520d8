package com.cloudextender.soak;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Judges each command of the ledger against the channel cuts. The dev cloud sends a pending command again
 * after every reconnect until its result arrives, so a cut should cost a command time, not its result:
 * <ul>
 * <li>a command in flight at a cut, or sent during the outage, whose result is a success that came after
 * the reconnect: {@link Verdict#ANSWERED_AFTER_CUT} (the cut broke its delivery; the redelivery answered);</li>
 * <li>a command that failed while a cut was on (from the cut until the reconnect plus a grace): caused by the
 * cut. The goal holds for it only if the extender answered it after the reconnect
 * ({@link Verdict#CUT_FAILURE_ANSWERED}); a failure before the reconnect, or the cloud giving up waiting,
 * is {@link Verdict#CUT_FAILURE_UNANSWERED};</li>
 * <li>any other failure is {@link Verdict#FAILED}, and a command without an outcome {@link Verdict#NO_OUTCOME}.</li>
 * </ul>
 */
final class LedgerCheck {
    /** How a command ended, with respect to the cuts. */
    enum Verdict {
        OK(true), ANSWERED_AFTER_CUT(true), CUT_FAILURE_ANSWERED(true), CUT_FAILURE_UNANSWERED(false),
        FAILED(false), NO_OUTCOME(false);

        private final boolean meetsGoal;

        Verdict(boolean meetsGoal) {
            this.meetsGoal = meetsGoal;
        }

        boolean meetsGoal() {
            return meetsGoal;
        }
    }

    /** A command and its verdict. */
    record Judged(CommandRecord command, Verdict verdict) {
    }

    /** Every command's verdict, and the counts. */
    record Findings(List<Judged> judged, Map<Verdict, Integer> counts) {
        int count(Verdict v) {
            return counts.getOrDefault(v, 0);
        }

        /** The commands that fail the goal, in the order sent. */
        List<Judged> violations() {
            return judged.stream().filter(j -> !j.verdict().meetsGoal()).toList();
        }
    }

    private LedgerCheck() {
    }

    /**
     * @param graceNanos how long after a reconnect a failure is still put down to the cut (the extender's
     *                   backlog and outbox flush after it)
     */
    static Findings check(List<CommandRecord> commands, List<Cut> cuts, long graceNanos) {
        List<Judged> judged = new ArrayList<>();
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (CommandRecord c : commands) {
            Verdict v = verdict(c, cuts, graceNanos);
            judged.add(new Judged(c, v));
            counts.merge(v, 1, Integer::sum);
        }
        return new Findings(List.copyOf(judged), counts);
    }

    static Verdict verdict(CommandRecord c, List<Cut> cuts, long graceNanos) {
        if (!c.answered()) {
            return Verdict.NO_OUTCOME;
        }
        if (c.ok()) {
            for (Cut cut : cuts) {
                if (inFlightAcross(c, cut) && c.answeredNanos() >= cut.endNanos()) {
                    return Verdict.ANSWERED_AFTER_CUT;
                }
            }
            return Verdict.OK;
        }
        for (Cut cut : cuts) {
            if (overlaps(c, cut, graceNanos)) {
                return c.answeredByExtender() && c.answeredNanos() >= cut.endNanos() ? Verdict.CUT_FAILURE_ANSWERED
                        : Verdict.CUT_FAILURE_UNANSWERED;
            }
        }
        return Verdict.FAILED;
    }

    /** Sent before the reconnect and not answered before the cut: its delivery was broken or held back. */
    private static boolean inFlightAcross(CommandRecord c, Cut cut) {
        return c.sentNanos() < cut.endNanos() && c.answeredNanos() >= cut.atNanos();
    }

    /** The command's life touches the cut's outage, stretched by the grace. */
    private static boolean overlaps(CommandRecord c, Cut cut, long graceNanos) {
        long end = cut.reconnected() ? cut.reconnectedNanos() + graceNanos : Long.MAX_VALUE;
        return c.sentNanos() <= end && c.answeredNanos() >= cut.atNanos();
    }
}
