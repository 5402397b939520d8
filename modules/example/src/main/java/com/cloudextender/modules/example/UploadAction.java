package com.cloudextender.modules.example;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.UploadReceipt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code upload}: writes {@code lines} lines to a file in the work folder, uploads it and returns the
 * receipt ({@code getUrl}, {@code sha256}, {@code size}). The file is removed afterwards.
 */
final class UploadAction implements ActionHandler {
    static final int MAX_LINES = 1_000_000;
    private final Path workDir;
    private final BulkUploads uploads;

    UploadAction(Path workDir, BulkUploads uploads) {
        this.workDir = workDir;
        this.uploads = uploads;
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        Arguments args = Arguments.parse(command.arguments());
        if (args.json().path("lines").isMissingNode()) {
            throw Arguments.invalid("lines: missing; give a whole number from 1 to " + MAX_LINES);
        }
        int lines = args.integer("lines", 0, 1, MAX_LINES);
        Files.createDirectories(workDir);
        Path file = Files.createTempFile(workDir, "upload-", ".txt");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int i = 1; i <= lines; i++) {
                    out.write("line " + i + "\n");
                }
            }
            UploadReceipt receipt = uploads.upload(file, "example-" + command.id() + ".txt", "text/plain");
            ObjectNode result = Json.object();
            result.put("getUrl", receipt.getUrl());
            result.put("sha256", receipt.sha256());
            result.put("size", receipt.size());
            return CommandResult.ok(Json.text(result));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
