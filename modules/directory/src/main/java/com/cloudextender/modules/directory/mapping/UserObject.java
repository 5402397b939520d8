package com.cloudextender.modules.directory.mapping;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.config.UserMapping;
import com.cloudextender.modules.directory.lookup.AttributeNames;
import com.cloudextender.modules.directory.lookup.AttributeText;
import com.cloudextender.modules.directory.lookup.StableIds;
import com.cloudextender.modules.directory.lookup.StreamedJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A directory user as the cloud's user object:
 * {@code {"userName","domain","email","firstName","lastName","displayName","phone","employeeId","custom":{..}}},
 * filled through the profile's {@link UserMapping}. A field whose attribute the entry lacks is left
 * out; {@code custom} is always present. Standard fields take the attribute's first value; custom
 * fields keep every value (an array when there are several). Values that are not text (objectSid…)
 * are sent in base64.
 */
public final class UserObject {
    private UserObject() {
    }

    /** The user object of {@code entry}, a user of {@code profile}. */
    public static ObjectNode of(Entry entry, ProfileSettings profile) {
        return StreamedJson.tree(g -> write(g, entry, profile));
    }

    /**
     * Writes what {@link #of} returns as one JSON object to {@code g}, without building a tree.
     */
    public static void write(JsonGenerator g, Entry entry, ProfileSettings profile) throws IOException {
        write(g, entry, profile, domainOf(entry, profile));
    }

    /**
     * As {@link #write(JsonGenerator, Entry, ProfileSettings)}, with the entry's {@link #domainOf domain}
     * already known: the sync writes every user this way, and derives the domain once per parent DN.
     */
    public static void write(JsonGenerator g, Entry entry, ProfileSettings profile, Optional<String> domain)
            throws IOException {
        Plan plan = plan(profile);
        g.writeStartObject();
        for (Field f : plan.fields()) {
            switch (f.source()) {
                case FIRST_VALUE -> {
                    // The first value, straight from its bytes when it is ASCII, as of() gives it.
                    Attribute a = entry.getAttribute(f.attribute());
                    byte[][] raw = a == null ? null : a.getValueByteArrays();
                    if (raw != null && raw.length > 0) {
                        g.writeFieldName(f.name());
                        if (!StreamedJson.writeAscii(g, raw[0])) {
                            g.writeString(AttributeText.of(raw[0]));
                        }
                    }
                }
                case STABLE_ID -> {
                    Optional<String> id = StableIds.of(entry, profile);
                    if (id.isPresent()) {
                        g.writeFieldName(f.name());
                        g.writeString(id.get());
                    }
                }
                case DOMAIN -> {
                    if (domain.isPresent()) {
                        g.writeFieldName(f.name());
                        g.writeString(domain.get());
                    }
                }
            }
        }
        g.writeObjectFieldStart("custom");
        for (Custom c : plan.custom()) {
            List<String> values = c.stableId() ? StableIds.of(entry, profile).map(List::of).orElse(List.of())
                    : all(entry, c.attribute());
            if (values.size() == 1) {
                g.writeStringField(c.name(), values.get(0));
            } else if (!values.isEmpty()) {
                g.writeArrayFieldStart(c.name());
                for (String v : values) {
                    g.writeString(v);
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Where a standard field's value comes from. */
    private enum Source { FIRST_VALUE, STABLE_ID, DOMAIN }

    /** A standard field: its name, quoted once, and the lower-case attribute that fills it (for FIRST_VALUE). */
    private record Field(SerializedString name, String attribute, Source source) {
    }

    /** A custom field: its name, the lower-case attribute that fills it, and whether that is the id attribute. */
    private record Custom(String name, String attribute, boolean stableId) {
    }

    /**
     * A profile's mapping resolved once: which fields are written, from what. The sync writes every user
     * with the same profile; resolving the mapping per entry (a map look-up, an id-attribute comparison
     * and a lower-casing per field) cost more than writing the values, and made the method the JIT
     * compiles for it several times larger.
     */
    private record Plan(ProfileSettings profile, Field[] fields, Custom[] custom) {
        static Plan of(ProfileSettings profile) {
            List<Field> fields = new ArrayList<>();
            for (String field : UserMapping.FIELDS) {
                String attribute = profile.mapping().fields().get(field);
                if (attribute != null) {
                    boolean id = attribute.equalsIgnoreCase(profile.idAttribute());
                    fields.add(new Field(new SerializedString(field), AttributeNames.lower(attribute),
                            id ? Source.STABLE_ID : Source.FIRST_VALUE));
                } else if (field.equals("domain")) {
                    fields.add(new Field(new SerializedString(field), null, Source.DOMAIN));
                }
            }
            List<Custom> custom = new ArrayList<>();
            for (Map.Entry<String, String> c : profile.mapping().custom().entrySet()) {
                custom.add(new Custom(c.getKey(), AttributeNames.lower(c.getValue()),
                        c.getValue().equalsIgnoreCase(profile.idAttribute())));
            }
            return new Plan(profile, fields.toArray(Field[]::new), custom.toArray(Custom[]::new));
        }
    }

    /** The last profile's plan: one profile's entries arrive together, so one is enough. */
    private static volatile Plan lastPlan;

    private static Plan plan(ProfileSettings profile) {
        Plan p = lastPlan;
        if (p == null || p.profile() != profile) {
            p = Plan.of(profile);
            lastPlan = p;
        }
        return p;
    }

    /** The profile's configured domain, else the {@code dc=} parts of the DN joined with dots ({@code corp.example.com}). */
    public static Optional<String> domainOf(Entry entry, ProfileSettings profile) {
        if (profile.domain().isPresent()) {
            return profile.domain();
        }
        try {
            return domainOf(entry.getParsedDN(), profile);
        } catch (LDAPException e) {
            return Optional.empty(); // an entry read from the server always has a valid DN
        }
    }

    /** As {@link #domainOf(Entry, ProfileSettings)}, for the entry named {@code dn}. */
    public static Optional<String> domainOf(DN dn, ProfileSettings profile) {
        if (profile.domain().isPresent()) {
            return profile.domain();
        }
        List<String> parts = new ArrayList<>();
        for (RDN rdn : dn.getRDNs()) {
            if (rdn.getAttributeNames().length == 1 && rdn.getAttributeNames()[0].equalsIgnoreCase("dc")) {
                parts.add(rdn.getAttributeValues()[0]);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(".", parts));
    }

    /** Every value of the attribute named {@code lowerCaseName}, as text. */
    private static List<String> all(Entry entry, String lowerCaseName) {
        Attribute a = entry.getAttribute(lowerCaseName);
        if (a == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (byte[] raw : a.getValueByteArrays()) {
            values.add(AttributeText.of(raw));
        }
        return values;
    }
}
