package com.cloudextender.modules.directory.sync;

import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.config.SyncSettings;
import com.cloudextender.modules.directory.lookup.AccountFlags;
import com.cloudextender.modules.directory.lookup.EntryJson;
import com.cloudextender.modules.directory.lookup.RangedValues;
import com.cloudextender.modules.directory.mapping.UserObject;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One directory entry as the sync sends it: its kind, stable id, DN, the JSON record (without the
 * DN, so that a move is told apart from a change) and, for a group, its sorted member DNs.
 *
 * @param kind    OU, user or group
 * @param id      the stable id
 * @param dn      the entry's DN
 * @param record  the content sent to the cloud (the DN and the change are added when written)
 * @param members a group's member DNs, sorted; empty for others
 */
record EntryRecord(EntryKind kind, String id, String dn, ObjectNode record, List<String> members) {

    /** Builds the record of {@code entry}, reading the remaining member ranges of a large AD group. */
    static EntryRecord of(Entry entry, String id, ProfileSettings profile, SyncSettings.Scope scope,
                          LDAPInterface connection) throws LDAPException {
        EntryKind kind = kindOf(entry, profile);
        ObjectNode r = Json.object();
        r.put("type", kind.json());
        r.put("id", id);
        List<String> members = List.of();
        switch (kind) {
            case OU -> r.put("name", entry.getParsedDN().getRDN().getAttributeValues()[0]);
            case USER -> {
                AccountFlags flags = AccountFlags.of(entry);
                r.put("enabled", flags.enabled());
                r.put("locked", flags.locked());
                r.set("attributes", EntryJson.attributes(entry, scope.userAttributes(), profile));
                r.set("user", UserObject.of(entry, profile)); // part of the digest: a mapped change is a modify
            }
            case GROUP -> {
                r.put("name", entry.getParsedDN().getRDN().getAttributeValues()[0]);
                List<String> all = new ArrayList<>();
                RangedValues.forEach(connection, entry, profile.memberAttribute(), all::add);
                all.sort(null);
                members = all;
                r.put("memberCount", all.size());
            }
        }
        return new EntryRecord(kind, id, entry.getDN(), r, members);
    }

    static EntryKind kindOf(Entry entry, ProfileSettings profile) {
        if (entry.hasObjectClass(profile.groupObjectClass())) {
            return EntryKind.GROUP;
        }
        for (String c : new String[] {"organizationalUnit", "container", "organization", "domain", "builtinDomain"}) {
            if (entry.hasObjectClass(c)) {
                return EntryKind.OU;
            }
        }
        return EntryKind.USER;
    }

    /** A digest of the content (record and members), stable across runs. */
    byte[] contentDigest() {
        MessageDigest d = Baseline.digest();
        d.update(Json.text(record).getBytes(StandardCharsets.UTF_8));
        for (String m : members) {
            d.update((byte) '\n');
            d.update(m.getBytes(StandardCharsets.UTF_8));
        }
        return d.digest();
    }
}
