package com.cloudextender.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The extender's local state: one H2 MVStore file in the data folder. MVStore is append-only and
 * copy-on-write: a commit writes a new chunk and only then points the file header at it, so a process
 * killed at any moment leaves the last committed version intact (see docs/ARCHITECTURE.md).
 *
 * <p>Auto-commit is off: callers group their changes and call {@link #commit()}, which is what makes
 * writing thousands of results per second possible. The file is locked, so two extenders cannot share
 * one data folder.
 */
public final class LocalStore implements AutoCloseable {
    private final MVStore store;
    private final Path file;

    private LocalStore(MVStore store, Path file) {
        this.store = store;
        this.file = file;
    }

    /** Below this share of live data in the file, {@link #compact()} rewrites the emptiest chunks. */
    static final int COMPACT_BELOW_FILL_RATE = 60;
    /** Target fill rate of a compaction, and how much it may rewrite in one go. */
    private static final int COMPACT_TARGET_FILL_RATE = 80;
    private static final int COMPACT_WRITE_BYTES = 16 * 1024 * 1024;

    /** Opens (or creates) {@code dataDir/extender.mv.db}. */
    public static LocalStore open(Path dataDir) {
        return open(dataDir, -1);
    }

    /**
     * As {@link #open(Path)}, with MVStore's retention time (how long a chunk with no live data is kept
     * before its space is reused; its default, 45 s, lets the disk flush before an overwrite) when not -1.
     */
    static LocalStore open(Path dataDir, int retentionMillis) {
        Path file = dataDir.resolve("extender.mv.db");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir, e);
        }
        try {
            MVStore s = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
            if (retentionMillis >= 0) {
                s.setRetentionTime(retentionMillis);
            }
            removeUnfinishedRewrites(s);
            return new LocalStore(s, file);
        } catch (MVStoreException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.contains("locked")) {
                throw new IllegalStateException("the local store " + file + " is in use by another process; "
                        + "is another extender running with the same data folder?", e);
            }
            throw new IllegalStateException("cannot open the local store " + file + ": " + msg, e);
        }
    }

    /** A named map in the store; changes become durable at the next {@link #commit()}. */
    public <K, V> MVMap<K, V> map(String name) {
        return store.openMap(name);
    }

    /** Suffix of the map a {@link #rewrite} builds before it takes the original's name. */
    static final String REWRITE_SUFFIX = "#rewrite";

    /**
     * Replaces the content of the named map by {@code entries}, which must hand over every key-value pair
     * in ascending key order, and returns the new map: its old instance is closed (reads of it still see
     * the old content). The new content is built in a map of its own by appending, which costs a fraction
     * of a put per entry (a put copies its leaf page), and takes the name in the same step as the old map
     * is removed: the next {@link #commit()} makes the whole replacement durable at once, and nothing
     * before it. The caller must hold this store's lock until that commit, so that no other commit
     * publishes half of the change.
     */
    public <K, V> MVMap<K, V> rewrite(String name, Consumer<Appender<K, V>> entries) {
        if (!Thread.holdsLock(this)) {
            throw new IllegalStateException("rewrite of " + name + " without the store's lock");
        }
        String scratch = name + REWRITE_SUFFIX;
        removeMap(scratch);
        MVMap<K, V> fresh = store.openMap(scratch, new MVMap.Builder<K, V>().singleWriter());
        try {
            entries.accept(fresh::append);
            fresh.flushAndGetRoot(); // the last appended entries out of the append buffer, before readers see the map
            if (store.hasMap(name)) {
                store.removeMap(name);
            }
            store.renameMap(fresh, name);
            return fresh;
        } catch (RuntimeException | Error e) {
            removeMap(scratch);
            throw e;
        }
    }

    /** Receives the entries of a {@link #rewrite}, in ascending key order. */
    @FunctionalInterface
    public interface Appender<K, V> {
        void append(K key, V value);
    }

    /** Maps of rewrites that a crash interrupted: never the live content, so they are dropped. */
    private static void removeUnfinishedRewrites(MVStore s) {
        boolean removed = false;
        for (String name : s.getMapNames()) {
            if (name.endsWith(REWRITE_SUFFIX)) {
                s.removeMap(name);
                removed = true;
            }
        }
        if (removed) {
            s.commit();
        }
    }

    /** Removes the named map and its content; durable at the next {@link #commit()}. */
    public void removeMap(String name) {
        if (store.hasMap(name)) {
            store.removeMap(name);
        }
    }

    /** Writes every change made since the last commit as one atomic step. */
    public synchronized void commit() {
        store.commit();
    }

    /**
     * Rewrites the live pages of mostly-dead chunks when the file holds less than
     * {@value #COMPACT_BELOW_FILL_RATE} % live data, so that their space is reused. With auto-commit off
     * MVStore runs no background compaction: without this, a store that sees every command's result
     * grows without bound: each commit rewrites the pages it touched, and every chunk keeps a little live
     * data (a 30-minute soak at 20 commands/s left 221 MB; {@code LocalStoreTest} halves such a file).
     *
     * @return whether anything was rewritten
     */
    public synchronized boolean compact() {
        if (store.isClosed() || fillRate() >= COMPACT_BELOW_FILL_RATE) {
            return false;
        }
        boolean rewritten = store.compact(COMPACT_TARGET_FILL_RATE, COMPACT_WRITE_BYTES);
        store.commit();
        return rewritten;
    }

    /** The share of live data in the file's chunks, in percent. */
    public int fillRate() {
        return store.getFileStore().getChunksFillRate();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.commit();
            store.close();
        }
    }
}
