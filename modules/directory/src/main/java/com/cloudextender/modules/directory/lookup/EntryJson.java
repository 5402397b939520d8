package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
        Plan plan = plan(names, profile);
        g.writeStartObject();
        String[] lower = plan.lowerCaseNames();
        boolean[] id = plan.stableId();
        for (int i = 0; i < lower.length; i++) {
            Attribute a = entry.getAttribute(lower[i]);
            if (a == null) {
                continue;
            }
            if (id[i]) {
                Optional<String> value = StableIds.of(entry, profile);
                if (value.isPresent()) {
                    g.writeStringField(a.getName(), value.get());
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

    /**
     * The names to write, resolved once per list and profile: in lower case, memberOf left out, the id
     * attribute marked. The sync writes every entry with the same list; comparing each name with memberOf
     * and the id attribute for every entry cost more than looking the attribute up.
     */
    private record Plan(Collection<String> names, ProfileSettings profile, String[] lowerCaseNames, boolean[] stableId) {
        static Plan of(Collection<String> names, ProfileSettings profile) {
            List<String> lower = new ArrayList<>();
            List<Boolean> id = new ArrayList<>();
            for (String name : names) {
                if (!name.equalsIgnoreCase("memberOf")) {
                    lower.add(AttributeNames.lower(name));
                    id.add(name.equalsIgnoreCase(profile.idAttribute()));
                }
            }
            boolean[] ids = new boolean[id.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = id.get(i);
            }
            return new Plan(names, profile, lower.toArray(String[]::new), ids);
        }
    }

    /**
     * The last list's plan: the sync writes every entry of a run with one list. Kept by the list's identity:
     * the lists passed are the configuration's, which never change.
     */
    private static volatile Plan lastPlan;

    private static Plan plan(Collection<String> names, ProfileSettings profile) {
        Plan p = lastPlan;
        if (p == null || p.names() != names || p.profile() != profile) {
            p = Plan.of(names, profile);
            lastPlan = p;
        }
        return p;
    }

    /** Writes a value as a JSON string: its text when it is UTF-8, else base64 ({@link AttributeText}). */
    private static void text(JsonGenerator g, byte[] raw) throws IOException {
        if (!StreamedJson.writeAscii(g, raw)) {
            g.writeString(AttributeText.of(raw));
        }
    }

    /** True when {@code name} is one of {@code names}, ignoring case as LDAP does. */
    static boolean contains(Collection<String> names, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(n));
    }
}
