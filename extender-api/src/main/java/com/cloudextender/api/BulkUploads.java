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

    /**
     * Uploads {@code file} on behalf of singleton work running under {@code fence} (see
     * {@link ModuleScheduler#everyAfterExclusive}): refused before anything is sent when the lease is no
     * longer held, and marked with the lease's generation so that the cloud drops it if a newer holder
     * has begun meanwhile. The default, for hosts without leases, checks {@link ModuleScheduler.Lease#held()}
     * and uploads as {@link #upload(Path, String, String)} does.
     *
     * @throws IOException when the lease is lost (the message says so), or as {@link #upload(Path, String, String)}
     */
    default UploadReceipt upload(Path file, String name, String contentType, ModuleScheduler.Lease fence)
            throws IOException, InterruptedException {
        if (!fence.held()) {
            throw new IOException("lease " + fence.name() + " is no longer held by this extender; " + name
                    + " was not uploaded");
        }
        return upload(file, name, contentType);
    }
}
