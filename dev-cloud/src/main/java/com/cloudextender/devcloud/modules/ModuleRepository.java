package com.cloudextender.devcloud.modules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.auth.RandomTokens;

/**
 * The module repository: published packages ({@code <id>-<version>.cxm}) in one folder, with an index
 * ({@code index.json}) of id, version, channel, SHA-256, size and file name. Each id and version is
 * published once; a package is never replaced, so an extender that checked a SHA-256 always gets the
 * same bytes. Thread-safe.
 */
public final class ModuleRepository {
    /** Packages larger than this are refused: module jars are small, and the body is held on disk only. */
    public static final long MAX_PACKAGE_BYTES = 256L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ModuleRepository.class);
    private static final String PART_SUFFIX = ".part";

    private final Path folder;
    private final ModuleIndexFile index;
    private final Clock clock;
    /** By file name, in publication order. */
    private final Map<String, ModuleEntry> entries = new LinkedHashMap<>();

    private ModuleRepository(Path folder, Clock clock) {
        this.folder = folder;
        this.index = new ModuleIndexFile(folder);
        this.clock = clock;
    }

    /** Opens (creating if needed) the repository in {@code folder}; index entries whose file is gone are dropped. */
    public static ModuleRepository open(Path folder) throws IOException {
        ModuleRepository repository = new ModuleRepository(Files.createDirectories(folder), Clock.systemUTC());
        boolean dropped = false;
        for (ModuleEntry e : repository.index.load()) {
            if (Files.isRegularFile(folder.resolve(e.file()))) {
                repository.entries.put(e.file(), e);
            } else {
                LOG.warn("The module index lists {} but the file is missing from {}; publish it again", e.file(),
                        folder);
                dropped = true;
            }
        }
        if (dropped) {
            repository.save();
        }
        return repository;
    }

    /** The folder holding the packages and the index. */
    public Path folder() {
        return folder;
    }

    /**
     * Publishes the package read from {@code body} on {@code channel}.
     *
     * @return the new index entry
     * @throws PackageRefusedException if the package is invalid, too large, or its id and version are already
     *             published (the message says which and what to do)
     */
    public ModuleEntry publish(InputStream body, ReleaseChannel channel) throws IOException, PackageRefusedException {
        Path part = folder.resolve("incoming-" + RandomTokens.lowerAlphanumeric(12) + PART_SUFFIX);
        try {
            String sha256 = receive(body, part);
            long size = Files.size(part);
            ModuleDescriptor descriptor = ModuleDescriptor.read(part);
            return add(descriptor, channel, part, sha256, size);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Publishes the package file {@code cxm} on {@code channel}; see {@link #publish(InputStream, ReleaseChannel)}. */
    public ModuleEntry publish(Path cxm, ReleaseChannel channel) throws IOException, PackageRefusedException {
        try (InputStream in = Files.newInputStream(cxm)) {
            return publish(in, channel);
        }
    }

    private synchronized ModuleEntry add(ModuleDescriptor descriptor, ReleaseChannel channel, Path part,
            String sha256, long size) throws IOException, PackageRefusedException {
        String file = descriptor.fileName();
        ModuleEntry existing = entries.get(file);
        if (existing != null) {
            throw PackageRefusedException.duplicate("module '" + descriptor.id() + "' version "
                    + descriptor.version() + " is already published (" + existing.channel().wireName() + ", sha256 "
                    + existing.sha256() + "); a published version never changes, so give the package a new version");
        }
        Files.move(part, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ModuleEntry entry = new ModuleEntry(descriptor.id(), descriptor.version(), channel, sha256, size, file,
                clock.instant());
        entries.put(file, entry);
        save();
        LOG.info("Published module {} {} on the {} channel: {} ({} bytes, sha256 {})", entry.id(), entry.version(),
                channel.wireName(), file, size, sha256);
        return entry;
    }

    /** Every published package, by id then version. */
    public synchronized List<ModuleEntry> entries() {
        List<ModuleEntry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparing(ModuleEntry::id).thenComparing(ModuleEntry::version));
        return list;
    }

    /** The entry whose file name is exactly {@code file}; nothing else is ever served. */
    public synchronized Optional<ModuleEntry> byFile(String file) {
        return Optional.ofNullable(entries.get(file));
    }

    /** Whether any version of module {@code id} is published. */
    public synchronized boolean knows(String id) {
        return entries.values().stream().anyMatch(e -> e.id().equals(id));
    }

    /**
     * The newest version of module {@code id} that an extender accepting {@code accepted} may run; among
     * versions of equal rank, the one published last.
     */
    public synchronized Optional<ModuleEntry> newest(String id, ReleaseChannel accepted) {
        ModuleEntry best = null;
        for (ModuleEntry e : entries.values()) {
            if (e.id().equals(id) && accepted.accepts(e.channel())
                    && (best == null || e.version().compareTo(best.version()) >= 0)) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The path of {@code entry}'s package. */
    public Path path(ModuleEntry entry) {
        return folder.resolve(entry.file());
    }

    private static String receive(InputStream body, Path part) throws IOException, PackageRefusedException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > MAX_PACKAGE_BYTES) {
                    throw PackageRefusedException.invalid("the package exceeds " + MAX_PACKAGE_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
            if (total == 0) {
                throw PackageRefusedException.invalid("the package is empty; send the .cxm file's bytes as the body");
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void save() throws IOException {
        index.save(entries.values());
    }
}
