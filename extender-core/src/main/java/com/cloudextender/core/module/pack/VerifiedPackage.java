package com.cloudextender.core.module.pack;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A package whose signature, publisher and digests were verified and whose content was extracted.
 * Immutable.
 *
 * @param descriptor the parsed {@code module.properties}
 * @param directory  the folder it was extracted into
 * @param jars       the extracted {@code lib/*.jar} files, sorted
 * @param sha256     the SHA-256 of the whole package file, lower-case hex
 * @param signer     the subject of the signer's certificate (RFC 2253)
 * @param verifiedAt the time at which the signer's and publisher's certificates were found valid
 */
public record VerifiedPackage(ModuleDescriptor descriptor, Path directory, List<Path> jars, String sha256, String signer,
        java.time.Instant verifiedAt) {
    public VerifiedPackage {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(directory, "directory");
        jars = List.copyOf(jars);
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
    }
}
