package com.cloudextender.core.module.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Verifies a module package and extracts it, before any of its classes could be loaded
 * (docs/MODULE-PACKAGE.md): the zip's layout, the publisher's signature over {@code DIGESTS}, each
 * entry's digest while it is extracted, then the descriptor. Thread-safe.
 *
 * <p>Usage:
 * <pre>{@code
 * PackageVerifier verifier = new PackageVerifier(Publishers.load(Path.of("conf/publishers")));
 * VerifiedPackage p = verifier.verifyAndExtract(Path.of("directory-1.2.0.cxm"), modulesDir.resolve("directory/1.2.0"),
 *         Instant.now());
 * }</pre>
 */
public final class PackageVerifier {
    /** The default limit of the total extracted size: 256 MiB. */
    public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 256L * 1024 * 1024;
    /** The default limit of the number of entries. */
    public static final int DEFAULT_MAX_ENTRIES = 500;
    /** DIGESTS and DIGESTS.p7s are small; a larger one is hostile. */
    private static final int MAX_SIGNATURE_FILE_BYTES = 1024 * 1024;

    private final PublisherTrust trust;
    private final long maxUncompressedBytes;
    private final int maxEntries;

    /** A verifier trusting {@code publishers} (no deny list, no development publisher), with the default limits. */
    public PackageVerifier(List<X509Certificate> publishers) {
        this(publishers, DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_ENTRIES);
    }

    /** A verifier trusting {@code publishers} (no deny list, no development publisher). */
    public PackageVerifier(List<X509Certificate> publishers, long maxUncompressedBytes, int maxEntries) {
        this(new PublisherTrust(publishers), maxUncompressedBytes, maxEntries);
    }

    /**
     * A verifier that accepts the signers {@code trust} accepts.
     *
     * @param maxUncompressedBytes the most bytes all entries may inflate to, together
     * @param maxEntries           the most entries a package may have
     */
    public PackageVerifier(PublisherTrust trust, long maxUncompressedBytes, int maxEntries) {
        if (trust.isEmpty()) {
            throw new IllegalArgumentException("no publisher certificate is configured; every package would be refused");
        }
        if (maxUncompressedBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("the limits must be positive");
        }
        this.trust = trust;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.maxEntries = maxEntries;
    }

    /** {@link #verifyAndExtract(Path, Path, Instant)} as of now. */
    public VerifiedPackage verifyAndExtract(Path packageFile, Path targetDir) throws ModulePackageException {
        return verifyAndExtract(packageFile, targetDir, Instant.now());
    }

    /**
     * Verifies {@code packageFile} and extracts it into {@code targetDir}, which must not exist yet (its
     * parent is created if needed). On any failure {@code targetDir} is deleted.
     *
     * @param verifiedAt the time at which the signer's and publisher's certificates must be valid: now for a
     *                   new package, the recorded time of its first verification for an installed one
     * @throws ModulePackageException naming the package, the module once known, and what was wrong
     */
    public VerifiedPackage verifyAndExtract(Path packageFile, Path targetDir, Instant verifiedAt)
            throws ModulePackageException {
        return verifyAndExtract(packageFile, targetDir, verifiedAt, "package " + packageFile.getFileName());
    }

    /**
     * As {@link #verifyAndExtract(Path, Path, Instant)}, with messages naming the package as {@code source}
     * (for a download: where it came from and the module announced, not the temporary file).
     */
    public VerifiedPackage verifyAndExtract(Path packageFile, Path targetDir, Instant verifiedAt, String source)
            throws ModulePackageException {
        if (Files.exists(targetDir)) {
            throw new ModulePackageException(source + ": the target folder " + targetDir + " already exists; "
                    + "extract into a new folder");
        }
        try {
            return new Extraction(packageFile, targetDir, source, verifiedAt).run();
        } catch (ModulePackageException | RuntimeException e) {
            deleteQuietly(targetDir, e);
            throw e;
        }
    }

    /** One verification of one package. */
    private final class Extraction {
        private final Path file;
        private final Path target;
        private final String source;
        private final Instant verifiedAt;
        private long inflated;

        Extraction(Path file, Path target, String source, Instant verifiedAt) {
            this.file = file;
            this.target = target;
            this.source = source;
            this.verifiedAt = verifiedAt;
        }

        VerifiedPackage run() throws ModulePackageException {
            List<ZipDirectory.Entry> entries = checkLayout();
            try (ZipFile zip = new ZipFile(file.toFile())) {
                if (zip.size() != entries.size()) {
                    throw fail("the zip central directory is inconsistent");
                }
                Set<String> names = new TreeSet<>();
                entries.forEach(e -> names.add(e.name()));
                // Step 2: the signature over DIGESTS, by a configured publisher.
                if (!names.contains(PackageLayout.SIGNATURE)) {
                    throw fail("unsigned: it has no " + PackageLayout.SIGNATURE);
                }
                if (!names.contains(PackageLayout.DIGESTS)) {
                    throw fail("it has no " + PackageLayout.DIGESTS);
                }
                byte[] digestsBytes = readSmall(zip, PackageLayout.DIGESTS);
                byte[] signature = readSmall(zip, PackageLayout.SIGNATURE);
                X509Certificate signer;
                try {
                    signer = CmsSignatures.verify(digestsBytes, signature);
                    trust.check(signer, verifiedAt);
                } catch (IllegalArgumentException e) {
                    throw fail(e.getMessage());
                }
                Digests digests = parseDigests(digestsBytes);
                // Step 3: DIGESTS lists exactly the other entries; extract each while hashing.
                checkListed(names, digests);
                List<Path> jars = extractAll(zip, digests);
                // Step 4: the descriptor.
                ModuleDescriptor descriptor;
                try (InputStream in = Files.newInputStream(target.resolve(PackageLayout.DESCRIPTOR))) {
                    descriptor = ModuleDescriptor.parse(in, source);
                }
                return new VerifiedPackage(descriptor, target, jars, sha256Of(file), PublisherTrust.subject(signer),
                        verifiedAt);
            } catch (IOException e) {
                throw new ModulePackageException(source + ": cannot be read: " + e.getMessage(), e);
            }
        }

        private List<ZipDirectory.Entry> checkLayout() throws ModulePackageException {
            List<ZipDirectory.Entry> entries;
            try {
                entries = ZipDirectory.read(file, maxEntries);
                PackageLayout.check(entries);
            } catch (IOException | IllegalArgumentException e) {
                throw new ModulePackageException(source + ": " + e.getMessage(), e);
            }
            long declared = 0;
            for (ZipDirectory.Entry e : entries) {
                declared += e.declaredSize();
            }
            // A cheap early refusal; the real bound is the count of inflated bytes during extraction.
            if (declared > maxUncompressedBytes) {
                throw fail("it would expand to " + declared + " bytes; at most " + maxUncompressedBytes + " are allowed");
            }
            return entries;
        }

        private Digests parseDigests(byte[] bytes) throws ModulePackageException {
            try {
                return Digests.parse(bytes);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }

        private void checkListed(Set<String> names, Digests digests) throws ModulePackageException {
            Set<String> content = new TreeSet<>(names);
            content.remove(PackageLayout.DIGESTS);
            content.remove(PackageLayout.SIGNATURE);
            for (String listed : digests.sha256ByPath().keySet()) {
                if (!content.contains(listed)) {
                    throw fail("entry \"" + listed + "\" is listed in DIGESTS but missing from the package");
                }
            }
            for (String present : content) {
                if (!digests.sha256ByPath().containsKey(present)) {
                    throw fail("entry \"" + present + "\" is not listed in DIGESTS (added after signing?)");
                }
            }
            if (!content.contains(PackageLayout.DESCRIPTOR)) {
                throw fail("it has no " + PackageLayout.DESCRIPTOR);
            }
            if (content.size() < 2) {
                throw fail("it has no lib/*.jar");
            }
        }

        private List<Path> extractAll(ZipFile zip, Digests digests) throws IOException, ModulePackageException {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.createDirectory(target);
            Files.createDirectory(target.resolve("lib"));
            List<Path> jars = new ArrayList<>();
            for (var e : digests.sha256ByPath().entrySet()) {
                Path out = target.resolve(e.getKey()).normalize();
                if (!out.startsWith(target.normalize())) {
                    throw fail("entry \"" + e.getKey() + "\" escapes the module folder");
                }
                String actual = extract(zip, e.getKey(), out);
                if (!actual.equals(e.getValue())) {
                    throw fail("entry \"" + e.getKey() + "\" does not match its digest in DIGESTS (changed after signing)");
                }
                if (e.getKey().startsWith(PackageLayout.LIB)) {
                    jars.add(out);
                }
            }
            jars.sort(null);
            return jars;
        }

        /** Copies one entry to {@code out} while hashing and counting inflated bytes; returns its hex SHA-256. */
        private String extract(ZipFile zip, String name, Path out) throws IOException, ModulePackageException {
            MessageDigest sha = sha256();
            try (InputStream in = zip.getInputStream(entry(zip, name));
                 OutputStream os = Files.newOutputStream(out, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    count(n);
                    sha.update(buffer, 0, n);
                    os.write(buffer, 0, n);
                }
            }
            return Digests.hex(sha.digest());
        }

        private byte[] readSmall(ZipFile zip, String name) throws IOException, ModulePackageException {
            try (InputStream in = zip.getInputStream(entry(zip, name))) {
                byte[] bytes = in.readNBytes(MAX_SIGNATURE_FILE_BYTES + 1);
                if (bytes.length > MAX_SIGNATURE_FILE_BYTES) {
                    throw fail(name + " is larger than " + MAX_SIGNATURE_FILE_BYTES + " bytes");
                }
                count(bytes.length);
                return bytes;
            }
        }

        private void count(int n) throws ModulePackageException {
            inflated += n;
            if (inflated > maxUncompressedBytes) {
                throw fail("it expands to more than " + maxUncompressedBytes + " bytes, the limit; refused while extracting");
            }
        }

        private ZipEntry entry(ZipFile zip, String name) throws ModulePackageException {
            ZipEntry e = zip.getEntry(name);
            if (e == null || e.isDirectory()) {
                throw fail("entry \"" + name + "\" cannot be read");
            }
            return e;
        }

        private ModulePackageException fail(String what) {
            return new ModulePackageException(source + ": " + what);
        }
    }

    private static String sha256Of(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return Digests.hex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Deletes {@code dir} recursively; a failure to delete is attached to {@code failure}, not thrown. */
    private static void deleteQuietly(Path dir, Exception failure) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
