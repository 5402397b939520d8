package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.unboundid.ldap.sdk.Entry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads an entry's stable id (objectGUID, entryUUID, GUID…), which survives renames and moves, as text.
 * A binary 16-byte id is written as a GUID the way Windows prints it: the first three fields are
 * little-endian on the wire (MS-DTYP 2.3.4.2).
 */
public final class StableIds {
    private StableIds() {
    }

    /** The id of {@code entry} under {@code profile}'s id attribute, empty when the entry has none. */
    public static Optional<String> of(Entry entry, ProfileSettings profile) {
        if (!profile.binaryId()) {
            return Optional.ofNullable(entry.getAttributeValue(AttributeNames.lower(profile.idAttribute())));
        }
        byte[] raw = entry.getAttributeValueBytes(AttributeNames.lower(profile.idAttribute()));
        return raw == null ? Optional.empty() : Optional.of(formatBinary(raw));
    }

    /** A 16-byte GUID as Windows prints it; other lengths as lower-case hex. */
    public static String formatBinary(byte[] raw) {
        if (raw.length != 16) {
            return HexFormat.of().formatHex(raw);
        }
        ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long d1 = le.getInt(0) & 0xffffffffL;
        long d2 = le.getShort(4) & 0xffffL;
        long d3 = le.getShort(6) & 0xffffL;
        long hi = (d1 << 32) | (d2 << 16) | d3;
        long lo = ByteBuffer.wrap(raw, 8, 8).order(ByteOrder.BIG_ENDIAN).getLong();
        return new UUID(hi, lo).toString();
    }
}
