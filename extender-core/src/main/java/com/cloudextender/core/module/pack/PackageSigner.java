package com.cloudextender.core.module.pack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes signed module packages (docs/MODULE-PACKAGE.md): the descriptor, the jars under
 * {@code lib/}, {@code DIGESTS} and its detached CMS signature. Thread-safe.
 */
public final class PackageSigner {
    private final PrivateKey key;
    private final X509Certificate certificate;

    /** A signer with the publisher's key and certificate (included in every signature). */
    public PackageSigner(PrivateKey key, X509Certificate certificate) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * Writes a signed package containing the descriptor text and the jars (stored under lib/ with their
     * file names). The descriptor is checked first, so an invalid one is never signed. {@code out} is
     * replaced atomically.
     *
     * @throws IOException when the descriptor is invalid, a jar name is not allowed or repeated, or writing fails
     */
    public void write(String descriptorProperties, List<Path> jars, Path out) throws IOException {
        byte[] descriptor = descriptorProperties.getBytes(StandardCharsets.UTF_8);
        try {
            ModuleDescriptor.parse(new ByteArrayInputStream(descriptor), "descriptor for " + out.getFileName());
        } catch (ModulePackageException e) {
            throw new IOException(e.getMessage(), e);
        }
        TreeMap<String, Path> content = new TreeMap<>();
        for (Path jar : jars) {
            String name = PackageLayout.LIB + jar.getFileName();
            if (!PackageLayout.isAllowed(name)) {
                throw new IOException(jar + ": a packaged jar must be named like name-1.0.jar (letters, digits, . _ + -)");
            }
            if (content.put(name, jar) != null) {
                throw new IOException(jar + ": two jars are named " + jar.getFileName());
            }
        }
        if (content.isEmpty()) {
            throw new IOException("a package needs at least one jar: the module's own");
        }
        TreeMap<String, String> sha = new TreeMap<>();
        sha.put(PackageLayout.DESCRIPTOR, Digests.hex(PackageVerifier.sha256().digest(descriptor)));
        for (var e : content.entrySet()) {
            sha.put(e.getKey(), sha256(e.getValue()));
        }
        byte[] digests = new Digests(sha).toBytes();
        byte[] signature = CmsSignatures.sign(digests, key, certificate);

        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".cxm-", ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                put(zip, PackageLayout.DESCRIPTOR, descriptor);
                for (var e : content.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    Files.copy(e.getValue(), zip);
                    zip.closeEntry();
                }
                put(zip, PackageLayout.DIGESTS, digests);
                put(zip, PackageLayout.SIGNATURE, signature);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // A temporary file is private to its owner; a package is not secret.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = PackageVerifier.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return Digests.hex(sha.digest());
    }
}
