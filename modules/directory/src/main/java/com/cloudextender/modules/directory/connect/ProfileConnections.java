package com.cloudextender.modules.directory.connect;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;

/**
 * The connections of one profile: a pool bound as the service account for searches, and fresh
 * connections for user binds, so that a pooled connection never changes identity. Thread-safe.
 */
public final class ProfileConnections implements AutoCloseable {
    private final ProfileSettings profile;
    private final ServerSet servers;
    private final LDAPConnectionPool pool;

    private ProfileConnections(ProfileSettings profile, ServerSet servers, LDAPConnectionPool pool) {
        this.profile = profile;
        this.servers = servers;
        this.pool = pool;
    }

    /**
     * Opens the pool of {@code profile}, binding as its service account.
     *
     * @throws LDAPException when no server accepts the service account; the message says which profile
     */
    public static ProfileConnections open(ProfileSettings profile) throws LDAPException {
        ServerSet servers = ServerSets.forProfile(profile);
        SimpleBindRequest service = new SimpleBindRequest(profile.bindDn(), profile.bindPassword());
        try {
            LDAPConnectionPool pool = new LDAPConnectionPool(servers, service, 1, profile.poolSize());
            pool.setConnectionPoolName("directory-" + profile.name());
            pool.setRetryFailedOperationsDueToInvalidConnections(true);
            return new ProfileConnections(profile, servers, pool);
        } catch (LDAPException e) {
            String reason = HostNameCheck.reason(e);
            String check = reason.startsWith(HostNameCheck.FAILURE) ? "check profile." + profile.name()
                    + ".servers: use the name in the server's certificate" : "check profile." + profile.name()
                    + ".servers, bindDn and bindPassword";
            throw new LDAPException(e.getResultCode(), "profile " + profile.name() + ": cannot bind as "
                    + profile.bindDn() + " on " + profile.servers() + " (" + reason + "); " + check, e);
        }
    }

    public ProfileSettings profile() {
        return profile;
    }

    /** The pool bound as the service account; for searches only. */
    public LDAPConnectionPool pool() {
        return pool;
    }

    /**
     * Binds as {@code dn} with {@code password} on a new connection that is closed afterwards.
     *
     * @throws LDAPException the bind's failure, with the server's diagnostic message (never the password)
     */
    public void verifyPassword(String dn, String password) throws LDAPException {
        try (LDAPConnection c = servers.getConnection()) {
            c.bind(new SimpleBindRequest(dn, password));
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
