package com.cloudextender.modules.directory.sync;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.UploadReceipt;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes records as gzip'd JSON lines into chunk files of at most {@code maxRecords} records or about
 * {@code maxBytes} uncompressed bytes, and uploads each chunk as soon as it is full, on a thread of its
 * own while the next chunk is written (an upload waits for a slot over the channel and for the cloud's
 * check, which would otherwise stall the read). One upload at a time, so at most two chunks exist on
 * disk. Each chunk starts with a header line
 * {@code {"op":"chunk","seq":n,...}}. Not thread-safe.
 */
final class ChunkUploader implements AutoCloseable {
    static final String CONTENT_TYPE = "application/gzip";

    private final BulkUploads uploads;
    private final Path dir;
    private final String namePrefix;
    private final ObjectNode header;
    private final int maxRecords;
    private final long maxBytes;
    private final List<UploadReceipt> receipts = new ArrayList<>();
    private Path file;
    private OutputStream out;
    private int records;
    private long bytes;
    private int seq;
    private ExecutorService uploader;
    private Future<UploadReceipt> pending;

    ChunkUploader(BulkUploads uploads, Path dir, String namePrefix, ObjectNode header, int maxRecords, long maxBytes) {
        this.uploads = uploads;
        this.dir = dir;
        this.namePrefix = namePrefix;
        this.header = header;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Appends {@code record}, uploading the current chunk first when it is full. */
    void write(ObjectNode record) throws IOException, InterruptedException {
        write((Json.text(record) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends one record already encoded as a JSON line ending in {@code \n}, uploading the current
     * chunk first when it is full.
     */
    void write(byte[] line) throws IOException, InterruptedException {
        write(line, line.length);
    }

    /**
     * Appends one record, the first {@code length} bytes of {@code buffer}, a JSON line ending in
     * {@code \n}; the buffer may be reused once this returns.
     */
    void write(byte[] buffer, int length) throws IOException, InterruptedException {
        if (out != null && (records >= maxRecords || bytes + length > maxBytes)) {
            upload();
        }
        if (out == null) {
            open();
        }
        out.write(buffer, 0, length);
        records++;
        bytes += length;
    }

    /**
     * Appends the run's end record ({@link com.cloudextender.modules.support.inventory.RunEnd}) to the last chunk, even a full one: it is one
     * short line, and a chunk of its own would cost an upload slot.
     */
    void writeEnd(byte[] line) throws IOException, InterruptedException {
        if (out == null) {
            open();
        }
        out.write(line);
    }

    /** Uploads the last chunk and waits for every upload; returns every chunk's receipt in order. */
    List<UploadReceipt> finish() throws IOException, InterruptedException {
        if (out != null) {
            upload();
        }
        awaitPending();
        return List.copyOf(receipts);
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        seq++;
        file = Files.createTempFile(dir, namePrefix, ".jsonl.gz");
        out = new BufferedOutputStream(new FastGzipOutputStream(Files.newOutputStream(file), 64 * 1024), 64 * 1024);
        ObjectNode h = header.deepCopy();
        h.put("op", "chunk");
        h.put("seq", seq);
        out.write((Json.text(h) + "\n").getBytes(StandardCharsets.UTF_8));
        records = 0;
        bytes = 0;
    }

    /**
     * Closes the current chunk and starts its upload on the upload thread, after the previous upload
     * ended: one chunk uploads while the next is written, and at most two exist on disk.
     */
    private void upload() throws IOException, InterruptedException {
        out.close();
        out = null;
        Path done = file;
        file = null;
        String name = String.format("%s%04d.jsonl.gz", namePrefix, seq);
        try {
            awaitPending();
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(done);
            throw e;
        }
        pending = uploader().submit(() -> {
            try {
                return uploads.upload(done, name, CONTENT_TYPE);
            } finally {
                Files.deleteIfExists(done);
            }
        });
    }

    /** Waits for the upload in flight, if any, and keeps its receipt. */
    private void awaitPending() throws IOException, InterruptedException {
        if (pending == null) {
            return;
        }
        Future<UploadReceipt> p = pending;
        pending = null;
        try {
            receipts.add(p.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof InterruptedException ie) {
                throw ie;
            } else if (cause instanceof RuntimeException re) {
                throw re;
            } else if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("the upload of a sync chunk failed: " + cause, cause);
        }
    }

    private ExecutorService uploader() {
        if (uploader == null) {
            uploader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "directory-sync-upload");
                t.setDaemon(true);
                return t;
            });
        }
        return uploader;
    }

    /**
     * Gzip at {@link Deflater#BEST_SPEED}: records repeat their keys, so the fastest level already
     * compresses them well, and the default level cost more CPU than reading the entries.
     */
    private static final class FastGzipOutputStream extends GZIPOutputStream {
        FastGzipOutputStream(OutputStream out, int size) throws IOException {
            super(out, size);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /** Stops an upload still in flight (the run failed) and deletes what is left on disk. */
    @Override
    public void close() throws IOException {
        if (uploader != null) {
            uploader.shutdownNow(); // interrupts an upload in flight; its task deletes its own file
            try {
                uploader.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (out != null) {
            out.close();
            out = null;
        }
        if (file != null) {
            Files.deleteIfExists(file);
            file = null;
        }
    }
}
