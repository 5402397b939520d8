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
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.asn1.ASN1OctetString;
import java.util.List;

/**
 * The {@code discoverOus} action: {@code {"base"?, "profile"?}} answers the OUs and containers one level
 * under {@code base} (at or under the profile's base DN, else refused), or, without a base, under each
 * naming context the RootDSE announces inside the base DN (the base DN itself when none is):
 * {@code {"profile","bases":[{"dn","children":[{"dn","name","type"}]}]}}. Helps an administrator choose
 * {@code sync.<p>.includeOus}.
 */
public final class DiscoverOusAction implements ActionHandler {
    private static final Filter CONTAINERS = Filter.createORFilter(
            Filter.createEqualityFilter("objectClass", "organizationalUnit"),
            Filter.createEqualityFilter("objectClass", "container"),
            Filter.createEqualityFilter("objectClass", "organization"),
            Filter.createEqualityFilter("objectClass", "domain"),
            Filter.createEqualityFilter("objectClass", "builtinDomain"));

    private final List<ProfileConnections> profiles;

    public DiscoverOusAction(List<ProfileConnections> profiles) {
        this.profiles = List.copyOf(profiles);
    }

    @Override
    public CommandResult execute(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        var name = args.text("profile");
        ProfileConnections c = profiles.stream()
                .filter(p -> name.isEmpty() || p.profile().name().equals(name.get())).findFirst()
                .orElseThrow(() -> new CommandException(ErrorCode.INVALID_ARGUMENTS, "profile: '" + name.orElse("")
                        + "' is not a configured profile"));
        var base = args.text("base");
        if (base.isPresent()) {
            requireUnderBaseDn(base.get(), c.profile().baseDn(), c.profile().name());
        }
        ObjectNode out = Json.object();
        out.put("profile", c.profile().name());
        ArrayNode bases = out.putArray("bases");
        try {
            List<String> dns = base.isPresent() ? List.of(base.get()) : namingContexts(c);
            for (String dn : dns) {
                ObjectNode b = bases.addObject();
                b.put("dn", dn);
                children(c, dn, b.putArray("children"));
            }
        } catch (LDAPException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, "the directory could not be read: " + e.getMessage());
        }
        return CommandResult.ok(Json.text(out));
    }

    /**
     * The service account may read more than the profile covers (AD's configuration partition, other
     * domains); the profile's base DN is what the administrator put in scope, so nothing above or beside it
     * is listed. Compared as parsed DNs: case, spacing and escaping do not matter.
     */
    static void requireUnderBaseDn(String base, DN baseDn, String profile) throws CommandException {
        DN dn;
        try {
            dn = new DN(base);
        } catch (LDAPException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "base: not a DN, for example ou=Staff,dc=example,dc=com");
        }
        if (!dn.isDescendantOf(baseDn, true)) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "base: '" + base + "' is not at or under profile "
                    + profile + "'s base DN " + baseDn + "; give a DN inside it");
        }
    }

    /** The naming contexts at or under the profile's base DN, or the base DN itself when none is. */
    private static List<String> namingContexts(ProfileConnections c) throws LDAPException {
        RootDSE root = c.pool().getRootDSE();
        String[] contexts = root == null ? null : root.getNamingContextDNs();
        DN baseDn = c.profile().baseDn();
        List<String> inScope = new java.util.ArrayList<>();
        for (String context : contexts == null ? new String[0] : contexts) {
            if (DN.isValidDN(context) && new DN(context).isDescendantOf(baseDn, true)) {
                inScope.add(context);
            }
        }
        return inScope.isEmpty() ? List.of(baseDn.toString()) : inScope;
    }

    /** One level under {@code dn}, page by page (a flat domain may hold thousands of OUs). */
    private static void children(ProfileConnections c, String dn, ArrayNode out) throws LDAPException {
        ASN1OctetString cookie = null;
        do {
            SearchRequest r = new SearchRequest(dn, SearchScope.ONE, CONTAINERS, "objectClass", "ou", "cn", "o", "dc");
            r.addControl(new SimplePagedResultsControl(500, cookie));
            SearchResult result = c.pool().search(r);
            for (SearchResultEntry e : result.getSearchEntries()) {
                ObjectNode o = out.addObject();
                o.put("dn", e.getDN());
                o.put("name", e.getParsedDN().getRDN().getAttributeValues()[0]);
                o.put("type", e.hasObjectClass("organizationalUnit") ? "organizationalUnit"
                        : e.hasObjectClass("container") ? "container" : "domain");
            }
            SimplePagedResultsControl page = SimplePagedResultsControl.get(result);
            cookie = page != null && page.moreResultsToReturn() ? page.getCookie() : null;
        } while (cookie != null);
    }
}
