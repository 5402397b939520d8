package com.cloudextender.chaos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code chaos/mark}: the side effect the harness counts. Each run appends {@code <command id> <pid>} to a
 * journal file before doing anything else, then sleeps {@code sleepMs} (so that kills land while commands
 * run) and answers {@code {"cmd":…,"pid":…}}, which names the run that produced the result. A line written
 * with one {@code write} call in append mode survives a kill -9 of the process, which is the only crash
 * the harness causes.
 */
final class JournalAction implements ActionHandler {
    /** Test of the harness itself: when set, every run of this command id is journaled twice. */
    static final String INJECT_TWICE = "chaos.injectRunTwice";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileChannel journal;
    private final long pid = ProcessHandle.current().pid();
    private final boolean twice = Boolean.getBoolean(INJECT_TWICE);

    JournalAction(Path journal) throws IOException {
        this.journal = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        byte[] line = (command.id() + " " + pid + "\n").getBytes(StandardCharsets.US_ASCII);
        append(line);
        if (twice) {
            append(line);
        }
        JsonNode args = JSON.readTree(command.arguments());
        long sleep = args.path("sleepMs").asLong(0);
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        return CommandResult.ok(JSON.createObjectNode().put("cmd", command.id()).put("pid", pid).toString());
    }

    private synchronized void append(byte[] line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
            journal.write(b);
        }
    }
}
