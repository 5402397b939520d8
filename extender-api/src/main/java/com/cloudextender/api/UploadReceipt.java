package com.cloudextender.api;

/**
 * A completed upload: where the cloud can read it and what it holds. Modules put it in their command
 * result, so the result's acknowledgement also acknowledges the upload (docs/PROTOCOL.md, section 7).
 * Immutable and thread-safe.
 *
 * @param getUrl where the cloud reads the uploaded content
 * @param sha256 the content's SHA-256, lower-case hex, as the cloud verified it
 * @param size   the content's length in bytes
 */
public record UploadReceipt(String getUrl, String sha256, long size) {
}
