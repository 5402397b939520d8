package com.cloudextender.modules.support.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkUploaderTest {
    @TempDir
    Path dir;

    /** Keeps each uploaded chunk's name and unzipped text. */
    private static final class Recorded implements BulkUploads {
        final List<String> names = new ArrayList<>();
        final List<String> texts = new ArrayList<>();

        @Override
        public UploadReceipt upload(Path file, String name, String contentType) throws IOException {
            assertEquals(ChunkUploader.CONTENT_TYPE, contentType);
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            names.add(name);
            return new UploadReceipt("https://cloud.test/" + name, "sha", Files.size(file));
        }
    }

    @Test
    void aReusedBufferIsCutIntoChunksOfAtMostTheRecordLimitEachWithItsHeader() throws Exception {
        Recorded cloud = new Recorded();
        byte[] buffer = new byte[64];
        List<UploadReceipt> receipts;
        try (ChunkUploader chunks = new ChunkUploader(cloud, dir.resolve("out"), "run-7-", Json.object().put("run", "7"),
                2, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                Arrays.fill(buffer, (byte) 'x'); // what a reused buffer holds beyond the line must not leak
                byte[] line = ("{\"n\":" + i + "}\n").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(line, 0, buffer, 0, line.length);
                chunks.write(buffer, line.length);
            }
            receipts = chunks.finish();
        }

        assertEquals(List.of("run-7-0001.jsonl.gz", "run-7-0002.jsonl.gz", "run-7-0003.jsonl.gz"), cloud.names);
        assertEquals(3, receipts.size());
        assertEquals("{\"run\":\"7\",\"op\":\"chunk\",\"seq\":1}\n{\"n\":0}\n{\"n\":1}\n", cloud.texts.get(0));
        assertEquals("{\"run\":\"7\",\"op\":\"chunk\",\"seq\":3}\n{\"n\":4}\n", cloud.texts.get(2));
        try (Stream<Path> left = Files.list(dir.resolve("out"))) {
            assertEquals(0, left.count(), "uploaded chunk files are deleted");
        }
    }

    @Test
    void aFailedUploadFailsTheRunAndLeavesNoFileBehind() throws Exception {
        BulkUploads refusing = (file, name, type) -> {
            throw new IllegalStateException("slot refused");
        };
        ChunkUploader chunks = new ChunkUploader(refusing, dir, "directory-corp-r1-", Json.object(), 1, 1 << 20);
        chunks.write("{\"n\":1}\n".getBytes(StandardCharsets.US_ASCII));
        chunks.write("{\"n\":2}\n".getBytes(StandardCharsets.US_ASCII)); // starts the first chunk's upload

        IllegalStateException e = assertThrows(IllegalStateException.class, chunks::finish);
        chunks.close();

        assertTrue(e.getMessage().contains("slot refused"), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "no chunk file is left after a failed run");
        }
    }
}
