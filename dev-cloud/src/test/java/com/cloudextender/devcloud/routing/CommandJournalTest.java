package com.cloudextender.devcloud.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.devcloud.CommandOutcome;

/** The journal keeps what a restart needs, and no more. */
class CommandJournalTest {
    @TempDir
    Path dir;

    @Test
    void pendingCommandsStayFinishedOnesGoAndOnlyTheNewestResultsAreKept() throws Exception {
        try (CommandJournal j = CommandJournal.open(dir)) {
            j.sent(new CommandJournal.Sent("c1", CommandTarget.extender("x1"), "core", "ping", "{}", 5_000L, 1L));
            j.sent(new CommandJournal.Sent("c2", CommandTarget.customer("acme"), "directory", "sync", null, null, 2L));
            j.finished(new CommandOutcome("c1", "x1", null, "{}", null, 3));
            for (int i = 0; i < CommandJournal.RESULTS_KEPT + 5; i++) {
                j.stored(new CommandJournal.StoredResult("r" + i, "x1", null, "{\"n\":" + i + "}"));
            }
        }
        try (CommandJournal j = CommandJournal.open(dir)) {
            List<CommandJournal.Sent> pending = j.pending();
            assertEquals(1, pending.size());
            assertEquals(new CommandJournal.Sent("c2", CommandTarget.customer("acme"), "directory", "sync", null, null,
                    2L), pending.get(0));
            List<CommandJournal.StoredResult> results = j.results();
            assertEquals(CommandJournal.RESULTS_KEPT, results.size());
            assertEquals("r5", results.get(0).commandId(), "the oldest five are dropped");
            assertEquals("{\"n\":" + (CommandJournal.RESULTS_KEPT + 4) + "}", results.get(results.size() - 1).payload());
        }
    }
}
