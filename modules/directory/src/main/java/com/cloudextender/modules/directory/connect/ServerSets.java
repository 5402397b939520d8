package com.cloudextender.modules.directory.connect;

import com.cloudextender.modules.directory.config.ProfileSettings;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.io.File;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;

/**
 * Builds the failover server set of a profile: its URLs in the configured order, TLS verified against
 * the profile's PEM trust store (or the JVM's) with the host name always checked. The set never
 * binds; the pool binds as the service account and authentication binds as the user.
 */
public final class ServerSets {
    private ServerSets() {
    }

    /** The server set of {@code profile}; the message of a failure names the key to fix. */
    public static ServerSet forProfile(ProfileSettings profile) {
        String key = "profile." + profile.name() + ".servers";
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(5_000);
        options.setResponseTimeoutMillis(30_000);
        options.setSSLSocketVerifier(new HostNameCheck());
        // Each connection serves one operation at a time (the pool lends it whole; nothing here is asynchronous):
        // the calling thread reads its own responses, with no reader thread and no hand-off queue per message.
        // A sync's CPU fell by a fifth. A connection the server closed is found at its next use, and the
        // pool then retries on a new one (setRetryFailedOperationsDueToInvalidConnections).
        options.setUseSynchronousMode(true);
        SSLUtil ssl = new SSLUtil(trustManager(profile));
        List<ServerSet> sets = new ArrayList<>();
        for (String url : profile.servers()) {
            LDAPURL u;
            try {
                u = new LDAPURL(url);
            } catch (LDAPException e) {
                throw new IllegalArgumentException(key + ": '" + url + "' is not an LDAP URL such as ldaps://dc1.example.com:636");
            }
            try {
                switch (u.getScheme()) {
                    case "ldaps" -> sets.add(new SingleServerSet(u.getHost(), u.getPort(),
                            ssl.createSSLSocketFactory(), options));
                    case "ldap" -> sets.add(profile.startTls()
                            ? new SingleServerSet(u.getHost(), u.getPort(), null, options, null,
                                    new StartTLSPostConnectProcessor(ssl.createSSLSocketFactory()))
                            : new SingleServerSet(u.getHost(), u.getPort(), options));
                    default -> throw new IllegalArgumentException(key + ": '" + url + "' uses " + u.getScheme()
                            + "; use ldap:// or ldaps://");
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("profile." + profile.name() + ".trustStore: cannot set up TLS ("
                        + e.getMessage() + ")", e);
            }
        }
        return sets.size() == 1 ? sets.get(0) : new FailoverServerSet(sets);
    }

    private static TrustManager trustManager(ProfileSettings profile) {
        if (profile.trustStore().isEmpty()) {
            return JVMDefaultTrustManager.getInstance();
        }
        File pem = new File(profile.trustStore().get());
        try {
            return new PEMFileTrustManager(pem);
        } catch (Exception e) {
            throw new IllegalArgumentException("profile." + profile.name() + ".trustStore: cannot read '" + pem
                    + "' as PEM certificates (" + e.getMessage() + ")", e);
        }
    }
}
