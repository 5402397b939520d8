package com.cloudextender.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.ResultView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The checks made after a run, on what the harness sent, what the cloud holds and what the journal says
 * ran. A result names the run that produced it (command id and process id), and the journal lists runs
 * in the order they began, which is what makes "ran again after its result was stored" visible:
 * <ul>
 * <li>every command sent has an outcome, and it is a success (the action cannot fail: any error, refusal
 * or time-out is a fault the extender did not absorb);</li>
 * <li>the outcome is the result of that command, produced by a run the journal holds;</li>
 * <li>a command never runs twice in one process (only a crash may interrupt a run);</li>
 * <li>the run whose result the cloud stored is the command's last run: any later run means the command
 * ran again although its result had been stored (sent, or kept in the outbox across the crash);</li>
 * <li>the cloud's stored copy and the outcome agree.</li>
 * </ul>
 */
final class Invariants {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A command as the harness sent it, with its outcome once it came (null if it never did). */
    record Sent(int number, String episode, CommandOutcome outcome) {
    }

    /** A run of a command, as its journal line says. */
    record Run(String commandId, long pid) {
    }

    /** What the checks found: violations (each a sentence) and counts for the figures. */
    record Findings(List<String> violations, int commands, int rerunsAfterCrash, int duplicateDeliveries) {
    }

    private Invariants() {
    }

    static Findings check(List<Sent> sent, List<ResultView> cloudResults, List<Run> journal) {
        List<String> v = new ArrayList<>();
        Map<String, List<Long>> runs = new LinkedHashMap<>();
        for (Run r : journal) {
            runs.computeIfAbsent(r.commandId(), k -> new ArrayList<>()).add(r.pid());
        }
        Map<String, ResultView> stored = new LinkedHashMap<>();
        int duplicates = 0;
        for (ResultView r : cloudResults) {
            stored.put(r.commandId(), r);
            duplicates += Math.max(0, r.timesReceived() - 1);
        }
        int reruns = 0;
        for (Sent s : sent) {
            CommandOutcome o = s.outcome();
            String who = "command #" + s.number() + " (" + s.episode() + ")";
            if (o == null) {
                v.add(who + ": no outcome");
                continue;
            }
            who = "command #" + s.number() + " " + o.commandId() + " (" + s.episode() + ")";
            if (!o.isOk()) {
                v.add(who + ": ended " + (o.refusedCode() != null ? "refused " + o.refusedCode() : o.errorCode())
                        + " " + o.payload());
                continue;
            }
            JsonNode payload;
            try {
                payload = JSON.readTree(o.payload());
            } catch (Exception e) {
                v.add(who + ": result is not JSON: " + o.payload());
                continue;
            }
            if (!o.commandId().equals(payload.path("cmd").asText())) {
                v.add(who + ": its outcome is the result of " + payload.path("cmd").asText());
                continue;
            }
            long resultPid = payload.path("pid").asLong();
            List<Long> pids = runs.getOrDefault(o.commandId(), List.of());
            int at = pids.indexOf(resultPid);
            if (at < 0) {
                v.add(who + ": its result names a run in process " + resultPid + " that the journal does not hold "
                        + "(runs: " + pids + ")");
                continue;
            }
            if (pids.size() != pids.stream().distinct().count()) {
                v.add(who + ": ran more than once in one process, runs " + pids);
            }
            if (pids.lastIndexOf(resultPid) < pids.size() - 1) {
                v.add(who + ": ran again after its result (from process " + resultPid + ") was stored, runs " + pids);
            }
            if (pids.stream().distinct().count() > 1) {
                reruns++;
            }
            ResultView r = stored.get(o.commandId());
            if (r == null) {
                v.add(who + ": outcome came but the cloud stored no result");
            } else if (!r.payload().equals(o.payload())) {
                v.add(who + ": the cloud stored " + r.payload() + " but the outcome was " + o.payload());
            }
        }
        return new Findings(List.copyOf(v), sent.size(), reruns, duplicates);
    }
}
