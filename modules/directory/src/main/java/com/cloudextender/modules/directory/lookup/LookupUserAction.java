package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.connect.HostNameCheck;
import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.directory.auth.LoginInput;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.mapping.UserObject;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * The {@code lookupUser} action: {@code {"username","domain"?}} answers
 * {@code {"found":true,"profile","dn","id","enabled","locked","attributes":{..},"user":{..},"groups":[..]}} or
 * {@code {"found":false,"reason":"USER_NOT_FOUND|AMBIGUOUS_USER"}}.
 */
public final class LookupUserAction implements ActionHandler {
    private final UserFinder finder;

    public LookupUserAction(UserFinder finder) {
        this.finder = finder;
    }

    @Override
    public CommandResult execute(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        String username = args.requireText("username");
        var badName = LoginInput.userNameProblem(username);
        if (badName.isPresent()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "username: " + badName.get());
        }
        LoginInput.checkDomain(args.text("domain"));
        ObjectNode out = Json.object();
        try {
            UserFinder.Outcome outcome = finder.find(username, args.text("domain"));
            if (outcome instanceof UserFinder.Match m) {
                UserFinder.Found f = m.found();
                AccountFlags flags = AccountFlags.of(f.entry());
                out.put("found", true);
                out.put("profile", f.profile().name());
                out.put("dn", f.entry().getDN());
                StableIds.of(f.entry(), f.profile()).ifPresent(id -> out.put("id", id));
                out.put("enabled", flags.enabled());
                out.put("locked", flags.locked());
                out.set("attributes", EntryJson.attributes(f.entry(), UserFinder.attributes(f.profile()), f.profile()));
                out.set("user", UserObject.of(f.entry(), f.profile()));
                ArrayNode groups = out.putArray("groups");
                NestedGroups.of(f.connections(), f.entry()).forEach(groups::add);
            } else {
                out.put("found", false);
                out.put("reason", outcome instanceof UserFinder.Ambiguous ? "AMBIGUOUS_USER" : "USER_NOT_FOUND");
            }
        } catch (LDAPException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the directory could not be searched: " + HostNameCheck.describe(e));
        }
        return CommandResult.ok(Json.text(out));
    }
}
