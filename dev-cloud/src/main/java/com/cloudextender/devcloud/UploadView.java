package com.cloudextender.devcloud;

import java.nio.file.Path;

/**
 * An upload slot and what has arrived in it.
 *
 * @param slotId the slot's token
 * @param filename the (sanitised) file name the extender asked for
 * @param size the announced size in bytes
 * @param sha256 hex SHA-256 of the complete content, or null while incomplete
 * @param complete whether all bytes arrived and the checksum matched
 * @param file where the content is stored
 */
public record UploadView(String slotId, String filename, long size, String sha256, boolean complete, Path file) {
}
