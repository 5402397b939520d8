package com.cloudextender.modules.directory.auth;

import com.cloudextender.modules.directory.connect.HostNameCheck;
import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.directory.lookup.EntryJson;
import com.cloudextender.modules.directory.lookup.UserFinder;
import com.cloudextender.modules.directory.lookup.NestedGroups;
import com.cloudextender.modules.directory.mapping.UserObject;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * The {@code authenticate} action: {@code {"username","password","domain"?,"attributes"?,"groups"?}}
 * answers {@code {"authenticated":true|false,"reason"?,"profile"?,"dn"?,"attributes"?,"user"?,"groups"?}}:
 * {@code "attributes":true} adds the raw attributes and the mapped {@code user} object, and
 * {@code "groups":true} every group of the user, nested ones included.
 */
public final class AuthenticateAction implements ActionHandler {
    private final Authenticator authenticator;

    public AuthenticateAction(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public CommandResult execute(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        String username = args.requireText("username");
        String password = args.text("password").orElse("");
        if (password.isEmpty()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS,
                    "password: missing or empty; an empty password is never accepted");
        }
        // Refused before any bind: see LoginInput for why.
        var badPassword = LoginInput.passwordProblem(password.toCharArray());
        if (badPassword.isPresent()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "password: " + badPassword.get());
        }
        var badName = LoginInput.userNameProblem(username);
        if (badName.isPresent()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "username: " + badName.get());
        }
        LoginInput.checkDomain(args.text("domain"));
        Authenticator.Outcome outcome;
        try {
            outcome = authenticator.authenticate(username, password.toCharArray(), args.text("domain"));
        } catch (LDAPException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the directory could not check the password: "
                    + HostNameCheck.describe(e));
        }
        ObjectNode out = Json.object();
        out.put("authenticated", outcome.authenticated());
        outcome.failure().ifPresent(f -> out.put("reason", f.name()));
        if (outcome.user().isPresent()) {
            UserFinder.Found found = outcome.user().get();
            out.put("profile", found.profile().name());
            out.put("dn", found.entry().getDN());
            if (outcome.authenticated() && args.bool("attributes", false)) {
                out.set("attributes", EntryJson.attributes(found.entry(),
                        UserFinder.attributes(found.profile()), found.profile()));
                out.set("user", UserObject.of(found.entry(), found.profile()));
            }
            if (outcome.authenticated() && args.bool("groups", false)) {
                ArrayNode groups = out.putArray("groups");
                try {
                    NestedGroups.of(found.connections(), found.entry()).forEach(groups::add);
                } catch (LDAPException e) {
                    throw new CommandException(ErrorCode.MODULE_FAILURE, "authenticated, but the groups of "
                            + found.entry().getDN() + " could not be read: " + e.getMessage());
                }
            }
        }
        return CommandResult.ok(Json.text(out));
    }
}
