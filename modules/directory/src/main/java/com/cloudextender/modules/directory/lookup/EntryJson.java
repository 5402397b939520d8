package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.config.ProfileSettings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.util.Collection;
import java.util.Locale;

/** An entry's attributes as a JSON object: one value as a string, several as an array. */
public final class EntryJson {
    private EntryJson() {
    }

    /**
     * The attributes of {@code entry} named in {@code names} (others are left out); the stable id
     * attribute is written as text even when it is binary, and memberOf is left to the groups list.
     */
    public static ObjectNode attributes(Entry entry, Collection<String> names, ProfileSettings profile) {
        ObjectNode out = Json.object();
        for (String name : names) {
            Attribute a = entry.getAttribute(name);
            if (a == null || name.equalsIgnoreCase("memberOf")) {
                continue;
            }
            if (name.equalsIgnoreCase(profile.idAttribute())) {
                StableIds.of(entry, profile).ifPresent(id -> out.put(a.getName(), id));
                continue;
            }
            String[] values = a.getValues();
            if (values.length == 1) {
                out.put(a.getName(), values[0]);
            } else {
                ArrayNode arr = out.putArray(a.getName());
                for (String v : values) {
                    arr.add(v);
                }
            }
        }
        return out;
    }

    /** True when {@code name} is one of {@code names}, ignoring case as LDAP does. */
    static boolean contains(Collection<String> names, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(n));
    }
}
