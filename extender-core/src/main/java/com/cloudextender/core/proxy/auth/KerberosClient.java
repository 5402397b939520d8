package com.cloudextender.core.proxy.auth;

import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * The extender's Kerberos identity for Negotiate proxies, through the JDK's own GSS-API: a keytab and
 * principal when configured ({@code proxy.kerberos.keytab}, {@code proxy.kerberos.principal}), else the
 * service account's ticket cache ({@code KRB5CCNAME} or the platform default). The login is kept for a
 * while so that not every connection asks the KDC; the realm and KDC come from the JDK's krb5.conf
 * ({@code -Djava.security.krb5.conf} or /etc/krb5.conf). Thread-safe.
 */
public final class KerberosClient {
    private static final Duration RELOGIN = Duration.ofMinutes(30);
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");

    private final Optional<String> principal;
    private final Optional<Path> keytab;
    private final Clock clock;
    private Subject subject;
    private Instant loggedInAt;

    public KerberosClient(Optional<String> principal, Optional<Path> keytab, Clock clock) {
        this.principal = principal;
        this.keytab = keytab;
        this.clock = clock;
    }

    /** Where the identity comes from, for messages. */
    public String source() {
        return keytab.map(k -> "keytab " + k + principal.map(p -> " as " + p).orElse(""))
                .orElse("the service account's ticket cache" + principal.map(p -> " (" + p + ")").orElse(""));
    }

    /** A fresh SPNEGO context for the proxy {@code host} (service principal {@code HTTP/host}). */
    GssStep start(String host) throws LoginFailure {
        Subject s = subject();
        try {
            GSSContext context = Subject.doAs(s, (PrivilegedExceptionAction<GSSContext>) () -> {
                GSSManager m = GSSManager.getInstance();
                GSSName server = m.createName("HTTP@" + host, GSSName.NT_HOSTBASED_SERVICE);
                GSSCredential mine = m.createCredential(null, GSSCredential.DEFAULT_LIFETIME, SPNEGO,
                        GSSCredential.INITIATE_ONLY);
                GSSContext c = m.createContext(server, SPNEGO, mine, GSSContext.DEFAULT_LIFETIME);
                c.requestCredDeleg(false);
                c.requestMutualAuth(true);
                return c;
            });
            return new GssStep(s, context, host);
        } catch (PrivilegedActionException e) {
            forget();
            throw failure(e.getException(), host);
        }
    }

    /** One GSS context, stepped with the proxy's tokens. */
    final class GssStep {
        private final Subject subject;
        private final GSSContext context;
        private final String host;

        private GssStep(Subject subject, GSSContext context, String host) {
            this.subject = subject;
            this.context = context;
            this.host = host;
        }

        byte[] next(byte[] token) throws LoginFailure {
            try {
                return Subject.doAs(subject, (PrivilegedExceptionAction<byte[]>) () ->
                        context.initSecContext(token, 0, token.length));
            } catch (PrivilegedActionException e) {
                forget();
                throw failure(e.getException(), host);
            }
        }

        boolean established() {
            return context.isEstablished();
        }
    }

    private synchronized Subject subject() throws LoginFailure {
        if (subject != null && Duration.between(loggedInAt, clock.instant()).compareTo(RELOGIN) < 0) {
            return subject;
        }
        Map<String, String> options = new HashMap<>();
        options.put("doNotPrompt", "true");
        options.put("isInitiator", "true");
        options.put("refreshKrb5Config", "true");
        if (keytab.isPresent()) {
            options.put("useKeyTab", "true");
            options.put("keyTab", keytab.get().toString());
            options.put("storeKey", "true");
        } else {
            options.put("useTicketCache", "true");
        }
        principal.ifPresent(p -> options.put("principal", p));
        Configuration config = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        };
        try {
            LoginContext login = new LoginContext("cloud-extender-proxy", new Subject(), null, config);
            login.login();
            subject = login.getSubject();
            loggedInAt = clock.instant();
            return subject;
        } catch (LoginException | SecurityException e) {
            throw failure(e, null);
        }
    }

    private synchronized void forget() {
        subject = null;
    }

    private LoginFailure failure(Exception e, String host) {
        String detail = String.valueOf(e.getMessage());
        String d = detail.toLowerCase(Locale.ROOT);
        String why;
        if (d.contains("clock skew")) {
            why = "clock skew: this machine's clock and the domain controller's differ by more than Kerberos allows "
                    + "(5 minutes by default); correct the time (NTP)";
        } else if (d.contains("default realm") || d.contains("cannot locate kdc") || d.contains("krb5.conf")) {
            why = "no Kerberos configuration: give the JVM a krb5.conf (-Djava.security.krb5.conf in "
                    + "conf/jvm.options, or /etc/krb5.conf) naming the realm and its KDC";
        } else if (host != null && d.contains("server not found")) {
            why = "the domain has no service principal HTTP/" + host + "; proxy.host must be the name the proxy's "
                    + "keytab was made for";
        } else if (d.contains("unable to obtain password") || d.contains("no valid credentials")
                || (e instanceof GSSException g && g.getMajor() == GSSException.NO_CRED)) {
            why = keytab.isPresent()
                    ? "no key for " + principal.orElse("the principal") + " in keytab " + keytab.get()
                            + " (check proxy.kerberos.keytab and proxy.kerberos.principal)"
                    : "no Kerberos ticket in the service account's ticket cache; log the account in (kinit, or run "
                            + "as a domain account on Windows), or set proxy.kerberos.keytab and proxy.kerberos.principal";
        } else if (d.contains("pre-authentication") || d.contains("preauth")) {
            why = "the KDC refused the key of " + principal.orElse("the principal")
                    + " (an outdated keytab? export it again)";
        } else {
            why = "Kerberos failed: " + detail;
        }
        return new LoginFailure("Negotiate (Kerberos, " + source() + "): " + why, e);
    }

    private static Oid oid(String s) {
        try {
            return new Oid(s);
        } catch (GSSException e) {
            throw new IllegalStateException(e);
        }
    }
}
