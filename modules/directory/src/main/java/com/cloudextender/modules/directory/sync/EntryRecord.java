package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.config.SyncSettings;
import com.cloudextender.modules.directory.lookup.AccountFlags;
import com.cloudextender.modules.directory.lookup.EntryJson;
import com.cloudextender.modules.directory.lookup.RangedValues;
import com.cloudextender.modules.directory.mapping.UserObject;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One directory entry as the sync sends it: its kind, stable id, DN, the JSON record (without the
 * DN, so that a move is told apart from a change) and, for a group, its sorted member DNs.
 *
 * <p>The record is written once, straight to compact UTF-8 JSON, and that text serves both the
 * content digest and the chunk line. The text is byte for byte what earlier versions digested (a
 * Jackson tree written by the module's mapper), so baselines they stored stay valid.
 *
 * @param kind    OU, user or group
 * @param id      the stable id
 * @param dn      the entry's DN
 * @param content the content sent to the cloud as one compact JSON object in UTF-8 (the DN and the
 *                change are added when written); not to be modified
 * @param members a group's member DNs, sorted; empty for others
 */
record EntryRecord(EntryKind kind, String id, String dn, byte[] content, List<String> members) {
    private static final Set<String> OU_CLASSES = Set.of("organizationalunit", "container", "organization", "domain",
            "builtindomain");

    /** Builds the record of {@code entry}, reading the remaining member ranges of a large AD group. */
    static EntryRecord of(Entry entry, String id, ProfileSettings profile, SyncSettings.Scope scope,
                          LDAPInterface connection) throws LDAPException, IOException {
        return of(entry, id, profile, scope, connection, new RecordEncoder());
    }

    /** As {@link #of(Entry, String, ProfileSettings, SyncSettings.Scope, LDAPInterface)}, with the run's encoder. */
    static EntryRecord of(Entry entry, String id, ProfileSettings profile, SyncSettings.Scope scope,
                          LDAPInterface connection, RecordEncoder encoder) throws LDAPException, IOException {
        return of(entry, id, profile, scope, connection, encoder, UserObject.domainOf(entry, profile));
    }

    /**
     * As {@link #of(Entry, String, ProfileSettings, SyncSettings.Scope, LDAPInterface, RecordEncoder)}, with
     * the entry's {@link UserObject#domainOf domain} already known.
     */
    static EntryRecord of(Entry entry, String id, ProfileSettings profile, SyncSettings.Scope scope,
                          LDAPInterface connection, RecordEncoder encoder, Optional<String> domain)
            throws LDAPException, IOException {
        EntryKind kind = kindOf(entry, profile);
        ArrayList<String> members = new ArrayList<>(0);
        if (kind == EntryKind.GROUP) {
            RangedValues.forEach(connection, entry, profile.memberAttribute(), members::add);
            members.sort(null);
        }
        String name = kind == EntryKind.USER ? null : entry.getParsedDN().getRDN().getAttributeValues()[0];
        byte[] content = encoder.encode(g -> {
            g.writeStartObject();
            g.writeStringField("type", kind.json());
            g.writeStringField("id", id);
            switch (kind) {
                case OU -> g.writeStringField("name", name);
                case USER -> {
                    AccountFlags flags = AccountFlags.of(entry);
                    g.writeBooleanField("enabled", flags.enabled());
                    g.writeBooleanField("locked", flags.locked());
                    g.writeFieldName("attributes");
                    EntryJson.write(g, entry, scope.userAttributes(), profile);
                    g.writeFieldName("user");
                    UserObject.write(g, entry, profile, domain); // part of the digest: a mapped change is a modify
                }
                case GROUP -> {
                    g.writeStringField("name", name);
                    g.writeNumberField("memberCount", members.size());
                }
            }
            g.writeEndObject();
        });
        // Always an ArrayList, even empty: one list class keeps the JIT's compiled code for the
        // callers valid when the groups arrive after thousands of users.
        return new EntryRecord(kind, id, entry.getDN(), content, members);
    }

    static EntryKind kindOf(Entry entry, ProfileSettings profile) {
        // One pass over the values: Entry.hasObjectClass normalises every value on each call. The name in
        // lower case: the entry lower-cases a looked-up name, allocating a copy when it has a capital.
        String[] classes = entry.getAttributeValues("objectclass");
        if (classes == null) {
            return EntryKind.USER;
        }
        boolean ou = false;
        for (String c : classes) {
            if (c.equalsIgnoreCase(profile.groupObjectClass())) {
                return EntryKind.GROUP;
            }
            ou |= OU_CLASSES.contains(c.trim().toLowerCase(Locale.ROOT));
        }
        return ou ? EntryKind.OU : EntryKind.USER;
    }

    /** A digest of the content (record and members), stable across runs. */
    byte[] contentDigest() {
        MessageDigest d = Baseline.digest();
        d.update(content);
        for (String m : members) {
            d.update((byte) '\n');
            d.update(m.getBytes(StandardCharsets.UTF_8));
        }
        return d.digest();
    }
}
