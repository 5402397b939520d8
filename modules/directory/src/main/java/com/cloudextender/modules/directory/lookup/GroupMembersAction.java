package com.cloudextender.modules.directory.lookup;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.List;

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
        throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "group: no group named '" + group + "' in "
                + profileName.map(p -> "profile " + p).orElse("any profile"));
    }

    /** The group entry: by DN when {@code group} is one, else by cn (or sAMAccountName on AD). */
    private static SearchResultEntry find(ProfileConnections c, String group) throws LDAPException {
        String member = c.profile().memberAttribute();
        if (DN.isValidDN(group) && group.contains("=")) {
            SearchResultEntry e = c.pool().getEntry(group, member);
            return e != null && new DN(group).isDescendantOf(c.profile().baseDn(), true) ? e : null;
        }
        Filter f = Filter.createANDFilter(c.profile().groupFilter(), Filter.createORFilter(
                Filter.createEqualityFilter("cn", group), Filter.createEqualityFilter("sAMAccountName", group)));
        SearchResult r = c.pool().search(c.profile().baseDn().toString(), SearchScope.SUB, f, member);
        if (r.getEntryCount() > 1) {
            throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.SIZE_LIMIT_EXCEEDED, "several groups are named '"
                    + group + "' in profile " + c.profile().name() + "; give the group's DN");
        }
        return r.getEntryCount() == 1 ? r.getSearchEntries().get(0) : null;
    }
}
