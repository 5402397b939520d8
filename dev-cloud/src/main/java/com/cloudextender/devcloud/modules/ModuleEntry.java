package com.cloudextender.devcloud.modules;

import com.cloudextender.core.module.pack.ModuleVersion;
import java.time.Instant;

/**
 * One published package in the repository index.
 *
 * @param id the module id
 * @param version its version
 * @param channel the channel it was published on
 * @param sha256 the package's SHA-256, lower-case hex
 * @param size its size in bytes
 * @param file its file name in the modules folder and in the download URL ({@code /modules/<file>})
 * @param publishedAt when it was published
 */
public record ModuleEntry(String id, ModuleVersion version, ReleaseChannel channel, String sha256, long size,
        String file, Instant publishedAt) {
}
