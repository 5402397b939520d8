package com.cloudextender.core.module.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the central directory of a zip file as it is written, duplicates included, with the
 * attributes {@link java.util.zip.ZipFile} hides: the external attributes (a Unix file mode, which
 * tells a symbolic link) and the raw order of entries. Nothing here is trusted: it is what the
 * package claims, checked by {@link PackageLayout} before anything is extracted.
 *
 * <p>Format: PKWARE APPNOTE.TXT, sections 4.3.12 (central directory header) and 4.3.16 (end of
 * central directory record). ZIP64 is refused: a module package never needs it.
 */
final class ZipDirectory {
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int EOCD_SIZE = 22;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int UTF8_FLAG = 1 << 11;

    /**
     * One central directory entry.
     *
     * @param name               the entry name, decoded as UTF-8
     * @param externalAttributes the raw external attributes; the upper 16 bits are a Unix mode when set
     * @param declaredSize       the uncompressed size the header claims (not trusted)
     */
    record Entry(String name, long externalAttributes, long declaredSize) {
        private static final int TYPE_MASK = 0170000;
        private static final int SYMLINK = 0120000;

        /** True when the Unix mode in the external attributes says symbolic link. */
        boolean isSymbolicLink() {
            return ((externalAttributes >>> 16) & TYPE_MASK) == SYMLINK;
        }
    }

    private ZipDirectory() {
    }

    /**
     * Reads the entries of {@code file}.
     *
     * @param maxEntries refuse before reading when the archive claims more entries than this
     * @throws IOException with a message saying what is malformed
     */
    static List<Entry> read(Path file, int maxEntries) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT);
            ByteBuffer tail = readFully(ch, size - tailLength, tailLength);
            int eocd = findEndRecord(tail);
            if (eocd < 0) {
                throw new IOException("not a zip file (no end of central directory record)");
            }
            if (eocd >= 20 && tail.getInt(eocd - 20) == ZIP64_LOCATOR_SIGNATURE) {
                throw new IOException("ZIP64 archives are not accepted");
            }
            int disk = Short.toUnsignedInt(tail.getShort(eocd + 4));
            int cdDisk = Short.toUnsignedInt(tail.getShort(eocd + 6));
            int onDisk = Short.toUnsignedInt(tail.getShort(eocd + 8));
            int total = Short.toUnsignedInt(tail.getShort(eocd + 10));
            long cdSize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
            long cdOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
            if (disk != 0 || cdDisk != 0 || onDisk != total) {
                throw new IOException("multi-part zip archives are not accepted");
            }
            if (total > maxEntries) {
                throw new IOException("it has " + total + " entries; at most " + maxEntries + " are allowed");
            }
            long eocdPosition = size - tailLength + eocd;
            if (cdOffset + cdSize > eocdPosition) {
                throw new IOException("the central directory lies outside the file");
            }
            ByteBuffer cd = readFully(ch, cdOffset, (int) cdSize);
            return entries(cd, total);
        }
    }

    private static List<Entry> entries(ByteBuffer cd, int total) throws IOException {
        List<Entry> entries = new ArrayList<>(total);
        int pos = 0;
        for (int i = 0; i < total; i++) {
            if (pos + CENTRAL_HEADER_SIZE > cd.limit() || cd.getInt(pos) != CENTRAL_SIGNATURE) {
                throw new IOException("central directory entry " + (i + 1) + " is malformed");
            }
            int flags = Short.toUnsignedInt(cd.getShort(pos + 8));
            long declaredSize = Integer.toUnsignedLong(cd.getInt(pos + 24));
            int nameLength = Short.toUnsignedInt(cd.getShort(pos + 28));
            int extraLength = Short.toUnsignedInt(cd.getShort(pos + 30));
            int commentLength = Short.toUnsignedInt(cd.getShort(pos + 32));
            long external = Integer.toUnsignedLong(cd.getInt(pos + 38));
            int nameStart = pos + CENTRAL_HEADER_SIZE;
            int next = nameStart + nameLength + extraLength + commentLength;
            if (next > cd.limit()) {
                throw new IOException("central directory entry " + (i + 1) + " is truncated");
            }
            byte[] nameBytes = new byte[nameLength];
            cd.get(nameStart, nameBytes);
            entries.add(new Entry(decode(nameBytes, (flags & UTF8_FLAG) != 0), external, declaredSize));
            pos = next;
        }
        return entries;
    }

    /** Decodes a name as java.util.zip.ZipFile does by default (UTF-8), refusing bytes that are not UTF-8. */
    private static String decode(byte[] name, boolean utf8Flag) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("an entry name is not UTF-8" + (utf8Flag ? "" : " (names must be UTF-8)"));
        }
    }

    private static int findEndRecord(ByteBuffer tail) {
        for (int i = tail.limit() - EOCD_SIZE; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIGNATURE) {
                int commentLength = Short.toUnsignedInt(tail.getShort(i + 20));
                if (i + EOCD_SIZE + commentLength == tail.limit()) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("the file ends early");
            }
        }
        return b.flip();
    }
}
