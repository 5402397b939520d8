package com.cloudextender.modules.directory.config;

import com.cloudextender.api.ModuleConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which LDAP attribute fills each of the cloud's user fields, read from {@code profile.<p>.map.<field>}
 * and {@code profile.<p>.map.custom.<name>}; the {@link ProfileType} supplies the defaults. A field
 * mapped to nothing (an empty value turns a default off) is left out of the user object. The {@code domain} field, unless mapped, is the
 * profile's {@code domain} or else the DN's {@code dc=} parts joined with dots. Immutable.
 *
 * @param fields the standard fields ({@link #FIELDS}) to the attribute filling each, in that order
 * @param custom custom field names to their attributes, sorted by name
 */
public record UserMapping(Map<String, String> fields, Map<String, String> custom) {
    /** The cloud's standard user fields, in the order they are written. */
    public static final List<String> FIELDS = List.of("userName", "domain", "email", "firstName", "lastName",
            "displayName", "phone", "employeeId");

    public UserMapping {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        custom = Collections.unmodifiableMap(new LinkedHashMap<>(custom));
    }

    /** Reads the mapping of the profile whose keys start with {@code prefix} ({@code profile.corp.}). */
    static UserMapping read(ModuleConfig config, String prefix, ProfileType type) {
        String m = prefix + "map.";
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : FIELDS) {
            Optional<String> configured = config.get(m + field).map(String::trim);
            String attribute = configured.orElse(type.mappedAttribute(field));
            if (configured.isPresent() && !configured.get().isEmpty() && !validName(attribute)) {
                throw new IllegalArgumentException(m + field + ": '" + attribute + "' is not an LDAP attribute name;"
                        + " use a name such as mail, or leave the key out for the default");
            }
            if (attribute != null && !attribute.isEmpty()) {
                fields.put(field, attribute);
            }
        }
        Map<String, String> custom = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (String key : config.values().keySet()) {
            if (key.startsWith(m + "custom.")) {
                names.add(key.substring((m + "custom.").length()));
            }
        }
        names.sort(null);
        for (String name : names) {
            String attribute = config.get(m + "custom." + name).map(String::trim).orElse("");
            if (name.isEmpty() || name.contains(".") || !validName(attribute)) {
                throw new IllegalArgumentException(m + "custom." + name + ": '" + attribute + "' must name one LDAP"
                        + " attribute, and the custom field name must have no dot, for example " + m
                        + "custom.costCenter=departmentNumber");
            }
            custom.put(name, attribute);
        }
        return new UserMapping(fields, custom);
    }

    /** Every attribute the mapping reads, for the attribute list of a search. */
    public Set<String> attributes() {
        Set<String> all = new LinkedHashSet<>(fields.values());
        all.addAll(custom.values());
        return all;
    }

    /** An attribute description: a name or OID, with options such as {@code ;binary} allowed. */
    private static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*|[0-9]+(\\.[0-9]+)+");
    }
}
