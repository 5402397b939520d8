package com.cloudextender.modules.directory.lookup;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.directory.auth.LoginInput;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.List;
import java.util.Optional;

/**
 * The {@code groupMembers} action: {@code {"group": DN or name, "profile"?, "offset"?, "limit"?, "nested"?}}
 * answers {@code {"profile","group","offset","members":[DN..],"more":bool}}. Large Active Directory
 * groups are read range by range ({@link RangedValues}); only one page of members is kept. With
 * {@code "nested":true} the members are resolved through nested groups to the non-group entries
 * ({@link NestedMembers}), and the answer adds {@code "nested":true,"truncated":bool}.
 */
public final class GroupMembersAction implements ActionHandler {
    static final int MAX_LIMIT = 10_000;

    private final List<ProfileConnections> profiles;

    public GroupMembersAction(List<ProfileConnections> profiles) {
        this.profiles = List.copyOf(profiles);
    }

    @Override
    public CommandResult execute(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        String group = args.requireText("group");
        var badName = LoginInput.groupNameProblem(group);
        if (badName.isPresent()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "group: " + badName.get());
        }
        int offset = args.integer("offset", 0, 0, Integer.MAX_VALUE);
        int limit = args.integer("limit", 1000, 1, MAX_LIMIT);
        boolean nested = args.bool("nested", false);
        var profileName = args.text("profile");
        try {
            for (ProfileConnections c : profiles) {
                if (profileName.isPresent() && !profileName.get().equals(c.profile().name())) {
                    continue;
                }
                SearchResultEntry entry = find(c, group);
                if (entry == null) {
                    continue;
                }
                ObjectNode out = Json.object();
                out.put("profile", c.profile().name());
                out.put("group", entry.getDN());
                out.put("offset", offset);
                ArrayNode members = out.putArray("members");
                if (nested) {
                    NestedMembers.Resolved all = NestedMembers.of(c, entry);
                    all.members().stream().skip(offset).limit(limit).forEach(members::add);
                    out.put("nested", true);
                    out.put("more", all.members().size() > (long) offset + limit);
                    out.put("truncated", all.truncated());
                    return CommandResult.ok(Json.text(out));
                }
                int[] index = {0};
                boolean[] more = {false};
                RangedValues.forEach(c.pool(), entry, c.profile().memberAttribute(), v -> {
                    int i = index[0]++;
                    if (i >= offset && members.size() < limit) {
                        members.add(v);
                    } else if (i >= offset) {
                        more[0] = true;
                    }
                });
                out.put("more", more[0]);
                return CommandResult.ok(Json.text(out));
            }
        } catch (LDAPException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the group could not be read: " + e.getMessage());
        }
        // Nothing found can also mean that the service account may not read the group.
        throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "group: no group " + (strictDn(group).isPresent()
                ? "with the DN " + group + " under the base DN of " : "named '" + group + "' in ")
                + profileName.map(p -> "profile " + p).orElse("any profile")
                + " (or the service account may not read it)");
    }

    /**
     * The group entry: by DN when {@code group} parses as one (strictly: {@code *)(cn=*} is a name, not a
     * DN), else by cn (or sAMAccountName on AD) with an escaped filter. Null when this profile has none.
     *
     * @throws CommandException INVALID_ARGUMENTS when the DN names an entry that is not a group
     */
    private static SearchResultEntry find(ProfileConnections c, String group) throws LDAPException, CommandException {
        String member = c.profile().memberAttribute();
        Optional<DN> dn = strictDn(group);
        if (dn.isPresent()) {
            if (!dn.get().isDescendantOf(c.profile().baseDn(), true)) {
                return null;
            }
            SearchResult r;
            try {
                r = c.pool().search(new SearchRequest(group, SearchScope.BASE, c.profile().groupFilter(), member));
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                    return null;
                }
                throw e;
            }
            if (r.getEntryCount() == 1) {
                return r.getSearchEntries().get(0);
            }
            SearchResultEntry other = c.pool().getEntry(group, "objectClass");
            if (other != null) {
                throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "group: " + group + " is not a group (objectClass "
                        + String.join(", ", Optional.ofNullable(other.getObjectClassValues()).orElse(new String[0]))
                        + "; profile " + c.profile().name() + " takes " + c.profile().groupFilter() + ")");
            }
            return null;
        }
        Filter f = Filter.createANDFilter(c.profile().groupFilter(), Filter.createORFilter(
                Filter.createEqualityFilter("cn", group), Filter.createEqualityFilter("sAMAccountName", group)));
        SearchResult r = c.pool().search(c.profile().baseDn().toString(), SearchScope.SUB, f, member);
        if (r.getEntryCount() > 1) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "group: several groups are named '" + group
                    + "' in profile " + c.profile().name() + "; give the group's DN");
        }
        return r.getEntryCount() == 1 ? r.getSearchEntries().get(0) : null;
    }

    /** {@code value} as a DN when it is one by the strict rules (attribute names as RFC 4512 allows them). */
    static Optional<DN> strictDn(String value) {
        if (!value.contains("=")) {
            return Optional.empty();
        }
        try {
            DN dn = new DN(value, null, true);
            return dn.isNullDN() ? Optional.empty() : Optional.of(dn);
        } catch (LDAPException e) {
            return Optional.empty();
        }
    }
}
