package com.cloudextender.modules.support.inventory;

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
 * Writes JSON lines into gzip'd chunk files of at most {@code maxRecords} records or about
 * {@code maxBytes} uncompressed bytes, and uploads each full chunk on a thread of its own while the next
 * is written (an upload waits for a slot and for the cloud's check). One upload at a time, so at most
 * two chunks exist on disk. Each chunk starts with the header line {@code {"op":"chunk","seq":n,...}}.
 * Not thread-safe.
 */
public final class ChunkUploader implements AutoCloseable {
    /** The content type of every chunk. */
    public static final String CONTENT_TYPE = "application/gzip";

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
    private long totalBytes;
    private int seq;
    private ExecutorService uploader;
    private Future<UploadReceipt> pending;
    private String pendingName;

    /**
     * @param dir        where chunk files are written (created when missing)
     * @param namePrefix the start of each chunk's upload and file name, safe in a file name; {@code 0001.jsonl.gz}
     *                   and so on follow
     * @param header     the fields of each chunk's header line
     */
    public ChunkUploader(BulkUploads uploads, Path dir, String namePrefix, ObjectNode header, int maxRecords,
                         long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("chunk limits must be positive: " + maxRecords + " records, "
                    + maxBytes + " bytes");
        }
        this.uploads = uploads;
        this.dir = dir;
        this.namePrefix = namePrefix;
        this.header = header;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Appends one record already encoded as a JSON line ending in {@code \n}. */
    public void write(byte[] line) throws IOException, InterruptedException {
        write(line, line.length);
    }

    /**
     * Appends one record, the first {@code length} bytes of {@code buffer}, a JSON line ending in
     * {@code \n}; the buffer may be reused once this returns (a sync of 100,000 entries reuses one).
     */
    public void write(byte[] buffer, int length) throws IOException, InterruptedException {
        if (out != null && (records >= maxRecords || bytes + length > maxBytes)) {
            upload();
        }
        if (out == null) {
            open();
        }
        out.write(buffer, 0, length);
        records++;
        bytes += length;
        totalBytes += length;
    }

    /** Appends {@code record} as one line. */
    public void write(ObjectNode record) throws IOException, InterruptedException {
        write((Json.text(record) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Uncompressed record bytes written so far (headers not counted). */
    public long recordBytes() {
        return totalBytes;
    }

    /**
     * Appends the run's end record ({@link RunEnd}) to the last chunk, even a full one: it is one
     * short line, and a chunk of its own would cost an upload slot.
     */
    public void writeEnd(byte[] line) throws IOException, InterruptedException {
        if (out == null) {
            open();
        }
        out.write(line);
    }

    /** Uploads the last chunk and waits for every upload; every chunk's receipt, in order. */
    public List<UploadReceipt> finish() throws IOException, InterruptedException {
        if (out != null) {
            upload();
        }
        awaitPending();
        return List.copyOf(receipts);
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        seq++;
        file = Files.createTempFile(dir, namePrefix, ".jsonl.gz"); // named for the run, should one be left
        out = new BufferedOutputStream(new FastGzip(Files.newOutputStream(file)), 64 * 1024);
        ObjectNode h = header.deepCopy();
        h.put("op", "chunk");
        h.put("seq", seq);
        out.write((Json.text(h) + "\n").getBytes(StandardCharsets.UTF_8));
        records = 0;
        bytes = 0;
    }

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
        pendingName = name;
        pending = uploader().submit(() -> {
            try {
                return uploads.upload(done, name, CONTENT_TYPE);
            } finally {
                Files.deleteIfExists(done);
            }
        });
    }

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
            throw new IOException("the upload of chunk " + pendingName + " failed: " + cause, cause);
        }
    }

    private ExecutorService uploader() {
        if (uploader == null) {
            // A thread of the run's own, ended by close(): it never outlives the module version.
            uploader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "upload " + namePrefix.replaceAll("-$", ""));
                t.setDaemon(true);
                return t;
            });
        }
        return uploader;
    }

    /**
     * Gzip at {@link Deflater#BEST_SPEED}: JSON lines repeat their keys, so the fastest level already
     * compresses them well, and the default level cost a directory sync more CPU than reading the entries.
     */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /** Stops an upload in flight (the run failed) and deletes what is left on disk. */
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
