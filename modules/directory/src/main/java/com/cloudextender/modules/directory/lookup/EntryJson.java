package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
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
            Attribute a = entry.getAttribute(name);
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
            String[] values = a.getValues();
            if (values.length == 1) {
                g.writeStringField(a.getName(), values[0]);
            } else {
                g.writeArrayFieldStart(a.getName());
                for (String v : values) {
                    g.writeString(v);
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    /** True when {@code name} is one of {@code names}, ignoring case as LDAP does. */
    static boolean contains(Collection<String> names, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(n));
    }
}
