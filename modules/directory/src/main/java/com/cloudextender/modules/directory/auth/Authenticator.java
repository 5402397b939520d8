package com.cloudextender.modules.directory.auth;

import com.cloudextender.modules.directory.lookup.UserFinder;
import com.cloudextender.modules.directory.lookup.UserFinder.Found;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user's password against the directory: finds the user with the service account, then binds
 * as that DN on a separate connection. Nothing of the password is kept, logged or put in a message.
 * Thread-safe.
 */
public final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final UserFinder finder;

    public Authenticator(UserFinder finder) {
        this.finder = finder;
    }

    /** The result of one attempt: the user's entry when found, and the failure if refused. */
    public record Outcome(Optional<Found> user, Optional<AuthFailure> failure) {
        public boolean authenticated() {
            return failure.isEmpty();
        }
    }

    /**
     * Authenticates {@code login} with {@code password}, which must not be empty, blank or hold a NUL
     * (see {@link LoginInput}): an empty simple bind is an anonymous bind, which servers accept.
     *
     * @throws IllegalArgumentException when the password or the login is refused
     * @throws LDAPException            when the directory could not answer (not when it said no)
     */
    public Outcome authenticate(String login, char[] password, Optional<String> domain) throws LDAPException {
        Optional<String> refused = LoginInput.passwordProblem(password);
        if (refused.isPresent()) {
            throw new IllegalArgumentException("password: " + refused.get());
        }
        LoginInput.userNameProblem(login).ifPresent(problem -> {
            throw new IllegalArgumentException("username: " + problem);
        });
        UserFinder.Outcome looked = finder.find(login, domain);
        login = login.replaceAll("\\p{Cntrl}", "?"); // logged below: no forged log lines
        if (looked instanceof UserFinder.NotFound) {
            LOG.info("Authentication of {}: {}", login, AuthFailure.USER_NOT_FOUND);
            return new Outcome(Optional.empty(), Optional.of(AuthFailure.USER_NOT_FOUND));
        }
        if (looked instanceof UserFinder.Ambiguous a) {
            LOG.warn("Authentication of {}: the login matches several entries in profile {}; refine "
                    + "profile.{}.loginAttributes or userFilter", login, a.profile(), a.profile());
            return new Outcome(Optional.empty(), Optional.of(AuthFailure.AMBIGUOUS_USER));
        }
        Found found = ((UserFinder.Match) looked).found();
        try {
            found.connections().verifyPassword(found.entry().getDN(), new String(password));
            LOG.info("Authentication of {}: accepted by profile {} as {}", login, found.profile().name(),
                    found.entry().getDN());
            return new Outcome(Optional.of(found), Optional.empty());
        } catch (LDAPException e) {
            AuthFailure failure = classify(e).orElseThrow(() -> e);
            LOG.info("Authentication of {}: {} in profile {}", login, failure, found.profile().name());
            return new Outcome(Optional.of(found), Optional.of(failure));
        }
    }

    /** The refusal a bind error means, or empty when it is a directory failure rather than a "no". */
    static Optional<AuthFailure> classify(LDAPException e) {
        ResultCode rc = e.getResultCode();
        Optional<AuthFailure> ad = AdBindDiagnostics.decode(e.getDiagnosticMessage());
        if (ad.isPresent()) {
            return ad;
        }
        if (rc == ResultCode.INVALID_CREDENTIALS || rc == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
            return Optional.of(AuthFailure.INVALID_CREDENTIALS);
        }
        if (rc == ResultCode.UNWILLING_TO_PERFORM && e.getDiagnosticMessage() != null
                && e.getDiagnosticMessage().toLowerCase(java.util.Locale.ROOT).contains("lock")) {
            return Optional.of(AuthFailure.ACCOUNT_LOCKED);
        }
        return Optional.empty();
    }
}
