package com.cloudextender.modules.directory.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory, schema-less directory shaped like Active Directory (binary objectGUID, sAMAccountName,
 * userAccountControl, memberOf) on a loopback port. Binds of DNs given to {@link #rejectBind} fail with
 * the given AD diagnostic text, as a domain controller's would.
 */
public final class TestDirectory implements AutoCloseable {
    public static final String BASE = "dc=corp,dc=test";
    public static final String SERVICE_DN = "cn=svc,ou=Service," + BASE;
    public static final String SERVICE_PASSWORD = "Svc-Pw-4711";

    public final InMemoryDirectoryServer server;
    private final Map<String, String> rejected = new ConcurrentHashMap<>();
    /** When set, the request for a second page of a paged search fails, as a dropped DC would. */
    public final java.util.concurrent.atomic.AtomicBoolean failNextPage = new java.util.concurrent.atomic.AtomicBoolean();

    /** Connections the server upgraded with StartTLS. */
    public final java.util.concurrent.atomic.AtomicInteger startTlsRequests = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * While set, searches with a size limit (the sync warm-up's sample) wait for it to open, for at most 60 s: a
     * directory that does not answer them.
     */
    public volatile java.util.concurrent.CountDownLatch holdSizeLimitedSearches;
    /** Searches that waited on {@link #holdSizeLimitedSearches}. */
    public final java.util.concurrent.atomic.AtomicInteger heldSearches = new java.util.concurrent.atomic.AtomicInteger();
    /** Search requests the server received. */
    public final java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();
    /** Simple binds the server received. */
    public final java.util.concurrent.atomic.AtomicInteger binds = new java.util.concurrent.atomic.AtomicInteger();
    private final boolean tls;
    private final String certificateName;

    /** A directory reached as localhost, offering StartTLS and LDAPS with a certificate for localhost. */
    public TestDirectory() throws LDAPException {
        this(true);
    }

    /**
     * A directory that offers StartTLS and LDAPS with a certificate for localhost when {@code tls}, or only
     * plain LDAP (what the module must refuse to use unless a profile allows plaintext).
     */
    public TestDirectory(boolean tls) throws LDAPException {
        this(tls, TlsMaterial.HOST);
    }

    /**
     * A directory reached as localhost whose certificate names {@code OTHER_NAME} instead: every client
     * that checks host names must refuse it (see {@link #mismatchedTrustStore()}).
     */
    public static TestDirectory withMismatchedCertificate() throws LDAPException {
        return new TestDirectory(true, TlsMaterial.OTHER_NAME);
    }

    private TestDirectory(boolean tls, String certificateName) throws LDAPException {
        this.tls = tls;
        this.certificateName = certificateName;
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setSchema(null);
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        if (tls) {
            try {
                config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("default", loopback, 0,
                        TlsMaterial.serverSocketFactory(startTlsRequests, certificateName)),
                        InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0,
                                new com.unboundid.util.ssl.SSLUtil(TlsMaterial.keys(certificateName), null)
                                        .createSSLServerSocketFactory(), null));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up the test directory's LDAPS: " + e.getMessage(), e);
            }
        } else {
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("default", loopback, 0, null));
        }
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) throws LDAPException {
                binds.incrementAndGet();
                String message = rejected.get(request.getRequest().getBindDN().toLowerCase());
                if (message != null) {
                    throw new LDAPException(ResultCode.INVALID_CREDENTIALS, message);
                }
            }
        });
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest request)
                    throws LDAPException {
                searches.incrementAndGet();
                var hold = holdSizeLimitedSearches;
                if (hold != null && request.getRequest().getSizeLimit() > 0) {
                    heldSearches.incrementAndGet();
                    try {
                        hold.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                var paged = request.getRequest().getControl(com.unboundid.ldap.sdk.controls.SimplePagedResultsControl.PAGED_RESULTS_OID);
                if (paged != null && failNextPage.get() && paged.getValue() != null
                        && new com.unboundid.ldap.sdk.controls.SimplePagedResultsControl(paged.getOID(), paged.isCritical(),
                                paged.getValue()).getCookie().getValueLength() > 0) {
                    throw new LDAPException(ResultCode.UNAVAILABLE, "server going down (test)");
                }
            }
        });
        server = new InMemoryDirectoryServer(config);
        server.add(new Entry(BASE, new Attribute("objectClass", "top", "domain"), new Attribute("dc", "corp")));
        server.add(ou("Service"));
        server.add(new Entry(SERVICE_DN, new Attribute("objectClass", "person"), new Attribute("cn", "svc"),
                new Attribute("userPassword", SERVICE_PASSWORD)));
        server.startListening();
    }

    /** A typical small domain: OUs Staff and Lab, users alice, bob and carol, and group Admins. */
    public TestDirectory withSampleData() throws LDAPException {
        server.add(ou("Staff"));
        server.add(ou("Lab"));
        server.add(user("alice", "ou=Staff", "Alice-Pw-1", 512));
        server.add(user("bob", "ou=Staff", "Bob-Pw-2", 514));
        server.add(user("carol", "ou=Lab", "Carol-Pw-3", 512));
        server.add(group("Admins", "ou=Staff", "cn=alice,ou=Staff," + BASE, "cn=carol,ou=Lab," + BASE));
        server.modify("cn=alice,ou=Staff," + BASE, new com.unboundid.ldap.sdk.Modification(
                com.unboundid.ldap.sdk.ModificationType.ADD, "memberOf", "cn=Admins,ou=Staff," + BASE));
        return this;
    }

    public int port() {
        return server.getListenPort("default");
    }

    /** The StartTLS (or plain) URL, by host name: the certificate's name is checked. */
    public String url() {
        return "ldap://" + TlsMaterial.HOST + ":" + port();
    }

    /** The LDAPS URL, by host name. */
    public String ldapsUrl() {
        return "ldaps://" + TlsMaterial.HOST + ":" + server.getListenPort("ldaps");
    }

    /** Makes binds as {@code dn} fail with {@code adMessage} as diagnostic text. */
    public void rejectBind(String dn, String adMessage) {
        rejected.put(dn.toLowerCase(), adMessage);
    }

    public static Entry ou(String name) {
        return new Entry("ou=" + name + "," + BASE, new Attribute("objectClass", "top", "organizationalUnit"),
                new Attribute("ou", name), guid());
    }

    public static Entry user(String name, String parent, String password, int uac) {
        return new Entry("cn=" + name + "," + parent + "," + BASE,
                new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                new Attribute("objectCategory", "person"),
                new Attribute("cn", name), new Attribute("sAMAccountName", name),
                new Attribute("userPrincipalName", name + "@corp.test"), new Attribute("mail", name + "@corp.test"),
                new Attribute("displayName", name.substring(0, 1).toUpperCase() + name.substring(1)),
                new Attribute("userAccountControl", Integer.toString(uac)),
                new Attribute("userPassword", password), guid());
    }

    public static Entry group(String name, String parent, String... members) {
        Entry e = new Entry("cn=" + name + "," + parent + "," + BASE, new Attribute("objectClass", "top", "group"),
                new Attribute("cn", name), new Attribute("sAMAccountName", name), guid());
        if (members.length > 0) {
            e.addAttribute("member", members);
        }
        return e;
    }

    static Attribute guid() {
        UUID u = UUID.randomUUID();
        return new Attribute("objectGUID", ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }

    /** The configuration of one AD profile {@code corp} on this server, plus {@code extra} keys. */
    public Map<String, String> config(Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("profiles", "corp");
        c.put("profile.corp.type", "activeDirectory");
        c.put("profile.corp.servers", url());
        c.put("profile.corp.bindDn", SERVICE_DN);
        c.put("profile.corp.bindPassword", SERVICE_PASSWORD);
        c.put("profile.corp.baseDn", BASE);
        c.put("profile.corp.loginAttributes", "sAMAccountName,userPrincipalName,mail");
        c.put("profile.corp.domain", "CORP");
        if (tls) {
            // StartTLS, the default for ldap://
            c.put("profile.corp.trustStore", TlsMaterial.certificatePem(certificateName).toString());
        }
        c.putAll(extra);
        return c;
    }

    /** The PEM file of the server's certificate, for {@code trustStore}. */
    public static java.nio.file.Path trustStore() {
        return TlsMaterial.certificatePem(TlsMaterial.HOST);
    }

    /** The PEM file of the certificate for another name, which {@link #withMismatchedCertificate()} presents. */
    public static java.nio.file.Path mismatchedTrustStore() {
        return TlsMaterial.certificatePem(TlsMaterial.OTHER_NAME);
    }

    public static Set<String> secrets() {
        return Set.of("profile.corp.bindPassword");
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
