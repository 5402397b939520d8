package com.cloudextender.api;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Bulk data to the cloud (snapshots, deltas, device lists) through the cloud's HTTP upload slots:
 * the host asks for a slot over the channel, PUTs the file with its SHA-256 through the shared proxy
 * decision and resumes an interrupted transfer. Put the returned {@link UploadReceipt} in the command
 * result or report that announces the upload. Thread-safe.
 */
public interface BulkUploads {
    /**
     * Uploads {@code file}; blocks until the cloud has stored and verified all of it.
     *
     * @param name        a file name for the cloud, for example {@code users-0001.json.gz}
     * @param contentType for example {@code application/gzip}
     * @throws IOException          when the upload failed after the host's retries; the message says why
     * @throws InterruptedException when the command was cancelled meanwhile
     */
    UploadReceipt upload(Path file, String name, String contentType) throws IOException, InterruptedException;
}
