package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.util.StaticUtils;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** An entry's attributes as a JSON object: one value as a string, several as an array. */
public final class EntryJson {
    private EntryJson() {
    }

    /**
     * The attributes of {@code entry} named in {@code names} (others are left out); the stable id
     * attribute is written as text even when it is binary, and memberOf is left to the groups list.
     */
    public static ObjectNode attributes(Entry entry, Collection<String> names, ProfileSettings profile) {
        return StreamedJson.tree(g -> write(g, entry, names, profile));
    }

    /**
     * Writes what {@link #attributes} returns as one JSON object to {@code g}, without building a tree:
     * the sync writes every entry this way.
     */
    public static void write(JsonGenerator g, Entry entry, Collection<String> names, ProfileSettings profile)
            throws IOException {
        g.writeStartObject();
        for (String name : names) {
            Attribute a = entry.getAttribute(AttributeNames.lower(name));
            if (a == null || name.equalsIgnoreCase("memberOf")) {
                continue;
            }
            if (name.equalsIgnoreCase(profile.idAttribute())) {
                Optional<String> id = StableIds.of(entry, profile);
                if (id.isPresent()) {
                    g.writeStringField(a.getName(), id.get());
                }
                continue;
            }
            byte[][] values = a.getValueByteArrays();
            if (values.length == 1) {
                g.writeFieldName(a.getName());
                text(g, values[0]);
            } else {
                g.writeArrayFieldStart(a.getName());
                for (byte[] v : values) {
                    text(g, v);
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    /** Writes a value as a JSON string, decoded as {@link Attribute#getValues()} does when it is not ASCII. */
    private static void text(JsonGenerator g, byte[] raw) throws IOException {
        if (!StreamedJson.writeAscii(g, raw)) {
            g.writeString(StaticUtils.toUTF8String(raw));
        }
    }

    /** True when {@code name} is one of {@code names}, ignoring case as LDAP does. */
    static boolean contains(Collection<String> names, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(n));
    }
}
