package com.cloudextender.modules.directory.lookup;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.cloudextender.modules.directory.connect.ProfileConnections;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a user by login name across the profiles, in the configured order, with the service
 * account's pool. The filter is built with UnboundID's value escaping, so a name such as
 * {@code *)(uid=*} matches only an entry literally named so.
 */
public final class UserFinder {
    private static final Logger LOG = LoggerFactory.getLogger(UserFinder.class);

    private final List<ProfileConnections> profiles;

    public UserFinder(List<ProfileConnections> profiles) {
        this.profiles = List.copyOf(profiles);
    }

    /** A user found in one profile. */
    public record Found(ProfileConnections connections, SearchResultEntry entry) {
        public ProfileSettings profile() {
            return connections.profile();
        }
    }

    /** The outcome of a look-up: found, not found, or matching several entries (never guessed between). */
    public sealed interface Outcome permits Match, NotFound, Ambiguous {
    }

    /** Exactly one entry matched. */
    public record Match(Found found) implements Outcome {
    }

    /** No profile knows the user. */
    public record NotFound() implements Outcome {
    }

    /** Several entries matched in {@code profile}. */
    public record Ambiguous(String profile) implements Outcome {
    }

    /**
     * Looks {@code login} up. A login written {@code DOMAIN\name} is searched as {@code name} in the
     * profiles whose {@code domain} is {@code DOMAIN}; {@code domain} does the same when given.
     *
     * @throws LDAPException when the user was found nowhere and a profile's directory failed meanwhile
     */
    public Outcome find(String login, Optional<String> domain) throws LDAPException {
        String name = login;
        Optional<String> dom = domain.filter(d -> !d.isBlank());
        int slash = login.indexOf('\\');
        if (slash > 0) {
            dom = Optional.of(login.substring(0, slash));
            name = login.substring(slash + 1);
        }
        List<LDAPException> failures = new ArrayList<>();
        for (ProfileConnections c : candidates(dom)) {
            try {
                SearchResult r = c.pool().search(request(c.profile(), name));
                if (r.getEntryCount() > 1) {
                    return new Ambiguous(c.profile().name());
                }
                if (r.getEntryCount() == 1) {
                    return new Match(new Found(c, r.getSearchEntries().get(0)));
                }
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                    return new Ambiguous(c.profile().name());
                }
                LOG.warn("User look-up in profile {} failed: {}; trying the next profile", c.profile().name(),
                        e.getExceptionMessage());
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            LDAPException first = failures.get(0);
            throw new LDAPException(first.getResultCode(), "the user was not found and " + failures.size()
                    + " profile(s) could not be searched: " + first.getMessage(), first);
        }
        return new NotFound();
    }

    private List<ProfileConnections> candidates(Optional<String> domain) {
        if (domain.isEmpty() || profiles.stream().allMatch(c -> c.profile().domain().isEmpty())) {
            return profiles;
        }
        String d = domain.get().toLowerCase(Locale.ROOT);
        return profiles.stream()
                .filter(c -> c.profile().domain().map(x -> x.toLowerCase(Locale.ROOT).equals(d)).orElse(false))
                .toList();
    }

    /** The search for {@code name}: the profile's user filter and any login attribute equal to it. */
    static SearchRequest request(ProfileSettings profile, String name) {
        List<Filter> any = profile.loginAttributes().stream()
                .map(a -> Filter.createEqualityFilter(a, name)).toList();
        Filter filter = Filter.createANDFilter(profile.userFilter(), Filter.createORFilter(any));
        SearchRequest r = new SearchRequest(profile.baseDn().toString(), SearchScope.SUB, filter,
                attributes(profile).toArray(String[]::new));
        r.setSizeLimit(2);
        return r;
    }

    /** The attributes read for a user: the configured set, the mapped ones, the stable id, and group memberships. */
    public static List<String> attributes(ProfileSettings profile) {
        Set<String> names = new LinkedHashSet<>(profile.userAttributes());
        names.addAll(profile.mapping().attributes());
        names.add(profile.idAttribute());
        names.add("memberOf");
        return List.copyOf(names);
    }
}
