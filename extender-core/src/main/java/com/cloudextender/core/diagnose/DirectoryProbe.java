package com.cloudextender.core.diagnose;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;

/**
 * A live test of a directory connection with the service account, as the directory module will make it:
 * the servers tried in order ({@code ldaps://}, or {@code ldap://} with StartTLS), certificates and host names
 * verified, a bind, the naming contexts, the OUs under a base, and one user's login (search, then bind on a
 * separate connection). Passwords are only passed through, never kept or logged.
 */
public final class DirectoryProbe implements AutoCloseable {
    /** Directory settings as the directory module reads them (profile.&lt;p&gt;.*). */
    public record Settings(List<String> servers, boolean startTls, String bindDn, String type) {
        public Settings {
            servers = List.copyOf(servers);
        }
    }

    private static final String AD_CAPABILITY_OID = "1.2.840.113556.1.4.800";
    private static final String SHOW_DELETED_OID = "1.2.840.113556.1.4.417";

    private final Settings settings;
    private final X509TrustManager trust;
    private final int timeoutMillis;
    private final LDAPConnection connection;
    private final String connectedTo;

    private DirectoryProbe(Settings settings, X509TrustManager trust, int timeoutMillis, LDAPConnection connection,
            String connectedTo) {
        this.settings = settings;
        this.trust = trust;
        this.timeoutMillis = timeoutMillis;
        this.connection = connection;
        this.connectedTo = connectedTo;
    }

    /**
     * Connects to the first server that answers and binds as the service account.
     *
     * @throws ProbeFailure {@code DIRECTORY_BIND} naming each server's problem or the refused bind
     */
    public static DirectoryProbe bind(Settings settings, String bindPassword, X509TrustManager trust, int timeoutMillis)
            throws ProbeFailure {
        if (settings.servers().isEmpty()) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "no directory server given; write one or more "
                    + "URLs such as ldaps://dc1.corp.example:636 (comma-separated)");
        }
        if (bindPassword.isEmpty()) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "the service account's password is empty; an "
                    + "empty password would be an anonymous bind. Give the account's password");
        }
        List<String> problems = new ArrayList<>();
        for (String server : settings.servers()) {
            Optional<LDAPConnection> c = connect(server, settings.startTls(), trust, timeoutMillis, problems);
            if (c.isEmpty()) {
                continue;
            }
            try {
                c.get().bind(settings.bindDn(), bindPassword);
                return new DirectoryProbe(settings, trust, timeoutMillis, c.get(), server);
            } catch (LDAPException e) {
                c.get().close();
                throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, bindProblem(server, settings.bindDn(), e), e);
            }
        }
        throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "no directory server could be reached: "
                + String.join("; ", problems));
    }

    private static String bindProblem(String server, String dn, LDAPException e) {
        if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
            return server + " refused the service account " + dn + " (invalid credentials): check the DN (or "
                    + "user@domain) and the password";
        }
        if (e.getResultCode() == ResultCode.INVALID_DN_SYNTAX) {
            return "'" + dn + "' is not a valid DN; write it like cn=svc-extender,ou=Service,dc=corp,dc=example";
        }
        if (e.getResultCode() == ResultCode.CONFIDENTIALITY_REQUIRED || e.getResultCode() == ResultCode.STRONG_AUTH_REQUIRED) {
            return server + " requires an encrypted connection: use ldaps:// or StartTLS";
        }
        return server + " refused the bind of " + dn + ": " + e.getResultCode() + " " + e.getDiagnosticMessage();
    }

    /** {@code ldaps://host:636} or {@code ldap://host:389} (StartTLS when asked), or empty with the reason noted. */
    private static Optional<LDAPConnection> connect(String server, boolean startTls, X509TrustManager trust,
            int timeoutMillis, List<String> problems) {
        URI url;
        try {
            url = new URI(server.trim());
        } catch (URISyntaxException e) {
            problems.add("'" + server + "' is not an LDAP URL (" + e.getReason() + ")");
            return Optional.empty();
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("ldap") || scheme.equals("ldaps"))) {
            problems.add("'" + server + "' is not an LDAP URL; write ldaps://host:636 or ldap://host:389");
            return Optional.empty();
        }
        boolean ldaps = scheme.equals("ldaps");
        int port = url.getPort() > 0 ? url.getPort() : ldaps ? 636 : 389;
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(timeoutMillis);
        options.setResponseTimeoutMillis(timeoutMillis);
        options.setSSLSocketVerifier(new HostNameCheck());
        try {
            SSLUtil ssl = new SSLUtil(trust);
            LDAPConnection c = ldaps ? new LDAPConnection(ssl.createSSLSocketFactory(), options, url.getHost(), port)
                    : new LDAPConnection(options, url.getHost(), port);
            if (!ldaps && startTls) {
                SSLContext context = ssl.createSSLContext();
                ExtendedResult r = c.processExtendedOperation(new StartTLSExtendedRequest(context));
                if (r.getResultCode() != ResultCode.SUCCESS) {
                    c.close();
                    problems.add(server + " refused StartTLS: " + r.getResultCode() + " " + r.getDiagnosticMessage());
                    return Optional.empty();
                }
            }
            return Optional.of(c);
        } catch (LDAPException e) {
            problems.add(server + ": " + connectProblem(e));
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            problems.add(server + ": TLS is not available: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String connectProblem(LDAPException e) {
        java.util.Optional<String> hostName = HostNameCheck.failure(e);
        if (hostName.isPresent()) {
            return hostName.get() + "; use the name in the certificate in the server URL";
        }
        String m = e.getMessage() == null ? e.getResultCode().toString() : e.getMessage();
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("pkix") || lower.contains("certification path") || lower.contains("certificate")
                || lower.contains("hostname") || lower.contains("host name")) {
            return "the server's certificate is not trusted or not issued for this host name (" + m + "); use the "
                    + "name in the certificate and give the CA certificate as the directory trust store";
        }
        if (lower.contains("unknownhost") || lower.contains("unknown host")) {
            return "the name does not resolve (DNS): " + m;
        }
        return "cannot connect (" + m + "); check the host, the port and the firewall";
    }

    /** The server that answered. */
    public String server() {
        return connectedTo;
    }

    /**
     * Naming contexts from the RootDSE, the default one first (Active Directory's defaultNamingContext).
     */
    public List<String> namingContexts() throws ProbeFailure {
        try {
            RootDSE root = connection.getRootDSE();
            List<String> out = new ArrayList<>();
            if (root == null) {
                return out;
            }
            String def = root.getAttributeValue("defaultNamingContext");
            if (def != null && !def.isBlank()) {
                out.add(def);
            }
            String[] contexts = root.getNamingContextDNs();
            if (contexts != null) {
                for (String c : contexts) {
                    if (!out.contains(c) && !c.isBlank()) {
                        out.add(c);
                    }
                }
            }
            return out;
        } catch (LDAPException e) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "cannot read the server's RootDSE: "
                    + e.getMessage() + "; give the base DN by hand", e);
        }
    }

    /** The organisational units and containers one level under {@code baseDn}, sorted by DN. */
    public List<String> topOus(String baseDn) throws ProbeFailure {
        try {
            SearchRequest req = new SearchRequest(baseDn, SearchScope.ONE,
                    Filter.createORFilter(Filter.createEqualityFilter("objectClass", "organizationalUnit"),
                            Filter.createEqualityFilter("objectClass", "container")), "1.1");
            req.setSizeLimit(200);
            req.setTimeLimitSeconds(Math.max(1, timeoutMillis / 1000));
            SearchResult r = connection.search(req);
            return r.getSearchEntries().stream().map(SearchResultEntry::getDN).sorted().toList();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED && e instanceof com.unboundid.ldap.sdk.LDAPSearchException s) {
                return s.getSearchEntries().stream().map(SearchResultEntry::getDN).sorted().toList();
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "the base DN " + baseDn
                        + " does not exist on " + connectedTo + "; pick one of the naming contexts", e);
            }
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "cannot list the OUs under " + baseDn + ": "
                    + e.getResultCode() + " " + e.getDiagnosticMessage(), e);
        }
    }

    /**
     * Finds {@code username} under {@code baseDn} with the service account, then checks {@code password} with a
     * bind on a separate connection. The user name is escaped in the filter.
     *
     * @return the user's DN
     * @throws ProbeFailure {@code DIRECTORY_USER} saying whether the user was not found, ambiguous or refused
     */
    public String authenticate(String baseDn, String username, String password) throws ProbeFailure {
        if (username.isBlank()) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "the test user name is empty");
        }
        if (password.isEmpty()) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "the test password is empty; an empty password "
                    + "would be an anonymous bind, which proves nothing");
        }
        String dn = findUser(baseDn, username);
        List<String> problems = new ArrayList<>();
        Optional<LDAPConnection> c = connect(connectedTo, settings.startTls(), trust, timeoutMillis, problems);
        if (c.isEmpty()) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, String.join("; ", problems));
        }
        try (LDAPConnection userConnection = c.get()) {
            userConnection.bind(dn, password);
            return dn;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "the user " + username + " was found (" + dn
                        + ") but the directory refused the password (invalid credentials; the account may also be "
                        + "disabled, locked or expired)", e);
            }
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "the directory refused the login of " + dn + ": "
                    + e.getResultCode() + " " + e.getDiagnosticMessage(), e);
        }
    }

    private String findUser(String baseDn, String username) throws ProbeFailure {
        try {
            SearchRequest req = new SearchRequest(baseDn, SearchScope.SUB, userFilter(settings.type(), username), "1.1");
            req.setSizeLimit(2);
            List<SearchResultEntry> found = connection.search(req).getSearchEntries();
            if (found.isEmpty()) {
                throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "no user " + username + " under " + baseDn
                        + "; check the name and the base DN");
            }
            if (found.size() > 1) {
                throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "more than one entry matches " + username
                        + " under " + baseDn + "; try a more specific login");
            }
            return found.get(0).getDN();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "more than one entry matches " + username
                        + " under " + baseDn + "; try a more specific login", e);
            }
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_USER, "cannot search for " + username + " under "
                    + baseDn + ": " + e.getResultCode() + " " + e.getDiagnosticMessage(), e);
        }
    }

    /** The login filter by directory type; values are escaped by the filter builder (no LDAP injection). */
    static Filter userFilter(String type, String username) {
        if ("activeDirectory".equals(type)) {
            return Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "user"),
                    Filter.createORFilter(Filter.createEqualityFilter("sAMAccountName", username),
                            Filter.createEqualityFilter("userPrincipalName", username)));
        }
        return Filter.createORFilter(Filter.createEqualityFilter("uid", username),
                Filter.createEqualityFilter("mail", username));
    }

    /**
     * On Active Directory, whether the service account can read the Deleted Objects container (its isDeleted
     * property, with the show-deleted control), which the directory module's delta needs to see deletions. An
     * ordinary domain user cannot, and its search for tombstones finds nothing without an error, so the
     * container itself is read rather than an empty result trusted.
     *
     * @param name the check's name
     * @return empty when it can, or when the server is not Active Directory; otherwise a warning with the grant
     */
    Optional<Check> deletedObjectsCheck(String name) throws ProbeFailure {
        String domain;
        try {
            RootDSE root = connection.getRootDSE();
            if (root == null || !root.hasAttributeValue("supportedCapabilities", AD_CAPABILITY_OID)
                    || root.getAttributeValue("defaultNamingContext") == null) {
                return Optional.empty();
            }
            domain = root.getAttributeValue("defaultNamingContext");
        } catch (LDAPException e) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "cannot read the server's RootDSE: " + e.getMessage(), e);
        }
        String container = "CN=Deleted Objects," + domain;
        SearchRequest r = new SearchRequest(container, SearchScope.BASE, Filter.createPresenceFilter("objectClass"),
                "isDeleted");
        r.addControl(new com.unboundid.ldap.sdk.Control(SHOW_DELETED_OID, true));
        String why;
        try {
            SearchResult found = connection.search(r);
            if (found.getEntryCount() == 1 && found.getSearchEntries().get(0).hasAttribute("isDeleted")) {
                return Optional.empty();
            }
            why = found.getEntryCount() == 0 ? "the container is not visible to it" : "its properties cannot be read";
        } catch (LDAPException e) {
            why = e.getResultCode() + " " + Optional.ofNullable(e.getDiagnosticMessage()).orElse("");
        }
        return Optional.of(Check.warn(name, "the service account " + settings.bindDn() + " cannot read " + container
                + " (" + why.trim() + "): a delta sync cannot see deletions, which the directory module then finds "
                + "only by sweeping the ids in scope (sync.deletionSweep)", "grant the service account List Contents "
                + "and Read Property on " + container + " (as a domain administrator: dsacls \"" + container
                + "\" /takeownership, then dsacls \"" + container + "\" /G \"DOMAIN\\account:LCRP\")"));
    }

    @Override
    public void close() {
        connection.close();
    }
}
