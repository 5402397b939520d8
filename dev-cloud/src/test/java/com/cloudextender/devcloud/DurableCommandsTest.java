package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cloudextender.devcloud.routing.CommandJournal;

/** A dev cloud with durable commands, restarted on its data directory: pending commands and results survive. */
class DurableCommandsTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void pendingCommandsGoOutAgainAfterARestartAndStoredResultsStay() throws Exception {
        DevCloudOptions options = DevCloudOptions.ephemeral(dir).withDurableCommands(true);
        FakeExtender ext;
        String answeredId;
        String inFlightId;
        try (DevCloud first = DevCloud.start(options)) {
            ext = FakeExtender.register(first, "acme").connectDirectTls();
            CompletableFuture<CommandOutcome> answered = first.sendToExtender(ext.id, "core", "ping", "{\"n\":1}",
                    LIMIT);
            answeredId = ext.nextCommand(5).commandId();
            ext.sendResult(answeredId, null, "{\"n\":1}");
            assertTrue(answered.get(10, TimeUnit.SECONDS).isOk());
            // Accepted, its result not yet back when the cloud stops.
            first.sendToExtender(ext.id, "directory", "authenticate",
                    "{\"username\":\"jsmith\",\"password\":\"S3cret-Passw0rd\"}", LIMIT);
            inFlightId = ext.nextCommand(5).commandId();
            ext.close();
            // Sent while the extender is away: never delivered before the restart.
            first.sendToExtender(ext.id, "core", "ping", "{\"n\":3}", LIMIT);
        }
        String journal = Files.readString(dir.resolve(CommandJournal.FILE), StandardCharsets.US_ASCII);
        assertFalse(journal.contains("S3cret-Passw0rd") || journal.contains("jsmith"),
                "arguments and results are sealed on disk");

        try (DevCloud second = DevCloud.start(options)) {
            assertEquals(List.of(answeredId), second.results().stream().map(ResultView::commandId).toList(),
                    "the result stored before the restart");
            assertEquals("{\"n\":1}", second.outcome(answeredId).orElseThrow().get().payload());
            try (FakeExtender again = ext.on(second).connectDirectTls()) {
                Set<String> delivered = new TreeSet<>();
                delivered.add(again.nextCommand(10).commandId());
                delivered.add(again.nextCommand(10).commandId());
                assertTrue(delivered.contains(inFlightId), "the command in flight goes out again: " + delivered);
                assertFalse(delivered.contains(answeredId), "a command with a stored result does not");
                for (String id : delivered) {
                    again.sendResult(id, null, "{\"after\":\"restart\"}");
                }
                for (String id : delivered) {
                    CommandOutcome o = second.outcome(id).orElseThrow().get(10, TimeUnit.SECONDS);
                    assertTrue(o.isOk(), o.toString());
                }
            }
        }
        try (DevCloud third = DevCloud.start(options)) {
            assertEquals(3, third.results().size(), "every result, and no command pending any more");
        }
    }

    @Test
    void anUnreadableJournalLineIsSkippedAndTheRestKept() throws Exception {
        DevCloudOptions options = DevCloudOptions.ephemeral(dir).withDurableCommands(true);
        FakeExtender ext;
        try (DevCloud first = DevCloud.start(options)) {
            ext = FakeExtender.register(first, "acme");
            first.sendToExtender(ext.id, "core", "ping", "{}", LIMIT);
        }
        // A crash in the middle of a write leaves a cut line at the end.
        Files.writeString(dir.resolve(CommandJournal.FILE), "QUJD\n", StandardOpenOption.APPEND);
        try (DevCloud second = DevCloud.start(options); FakeExtender again = ext.on(second).connectDirectTls()) {
            assertEquals("ping", again.nextCommand(10).action());
        }
    }
}
