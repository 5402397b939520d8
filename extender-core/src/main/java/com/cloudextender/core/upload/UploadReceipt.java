package com.cloudextender.core.upload;

/**
 * A completed upload: where the cloud can read it and what it holds. Modules put it in their command
 * result, so the result's acknowledgement also acknowledges the upload (docs/PROTOCOL.md, section 7).
 */
public record UploadReceipt(String getUrl, String sha256, long size) {
}
