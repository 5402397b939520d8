package com.cloudextender.devcloud.upload;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import com.cloudextender.devcloud.UploadView;

/**
 * One upload slot: what was announced, where the bytes go, and how many arrived. The progress fields
 * are changed only by the request holding {@link #writing}; reads for views see a consistent value
 * through the slot's monitor.
 */
final class UploadSlot {
    final String id;
    final String secret;
    final String filename;
    final long size;
    final String contentType;
    final String extenderId;
    final Instant expiresAt;
    final Path file;
    /** Held by the one PUT that may write at a time; a second concurrent PUT is refused. */
    final ReentrantLock writing = new ReentrantLock();
    /** The lease fence of the request (docs/PROTOCOL.md section 11), or null. */
    volatile String fenceLease;
    volatile long fenceGeneration;

    private long received;
    private String sha256;
    private String announcedSha256;

    UploadSlot(String id, String secret, String filename, long size, String contentType, String extenderId,
            Instant expiresAt, Path file) {
        this.id = id;
        this.secret = secret;
        this.filename = filename;
        this.size = size;
        this.contentType = contentType;
        this.extenderId = extenderId;
        this.expiresAt = expiresAt;
        this.file = file;
    }

    synchronized long received() {
        return received;
    }

    synchronized void received(long bytes) {
        received = bytes;
    }

    synchronized boolean isComplete() {
        return sha256 != null;
    }

    synchronized String sha256() {
        return sha256;
    }

    synchronized void complete(String verifiedSha256) {
        sha256 = verifiedSha256;
        received = size;
    }

    /** The checksum the uploader announced (on this or an earlier PUT), or null. */
    synchronized String announcedSha256() {
        return announcedSha256;
    }

    synchronized void announceSha256(String hex) {
        announcedSha256 = hex;
    }

    synchronized UploadView view() {
        return new UploadView(id, filename, size, sha256, sha256 != null, file);
    }
}
