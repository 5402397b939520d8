package com.cloudextender.modules.scep.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.nio.SelectChannelConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.jscep.server.ScepServlet;
import org.jscep.transaction.FailInfo;
import org.jscep.transaction.OperationFailureException;
import org.jscep.transaction.TransactionId;
import org.jscep.transport.response.Capability;

/**
 * A SCEP CA for tests: jSCEP's {@link ScepServlet} on an embedded Jetty bound to 127.0.0.1, with a Bouncy
 * Castle CA. It can issue at once, answer PENDING for a number of polls, or fail with a chosen failInfo;
 * checks the challenge (static, or one-time challenges from its NDES-like {@code /certsrv/mscep_admin/}
 * page); can serve an RA chain like NDES; and can answer every SCEP request with an HTTP error status.
 */
public final class TestCa implements AutoCloseable {
    /** The Basic credentials the challenge page accepts. */
    public static final String ADMIN_USER = "ndes-admin";
    public static final String ADMIN_PASSWORD = "Admin-Pa55-word";

    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final KeyPair raKeys;
    private final X509Certificate raCert;
    private final boolean useRa;
    private final Server server;
    private final int port;
    private final HttpsServer https;

    private volatile String staticChallenge;
    private volatile FailInfo failWith;
    private volatile int pendingPolls;
    private volatile int httpStatus;
    private volatile boolean cacheFull;
    private volatile Tamper tamper = Tamper.NONE;
    private final Set<String> oneTimeChallenges = Collections.synchronizedSet(new HashSet<>());
    private final List<String> handedOut = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, PKCS10CertificationRequest> pending = new ConcurrentHashMap<>();
    private final AtomicInteger enrolRequests = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger scepRequests = new AtomicInteger();
    private final AtomicLong serials = new AtomicLong(1000);

    private TestCa(boolean useRa, Duration raValidity) throws Exception {
        this.useRa = useRa;
        caKeys = rsa();
        X500Name caName = new X500Name("CN=Test Root CA,O=Example");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
                java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plus(Duration.ofDays(3650))),
                caName, caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                | KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        caCert = convert(b, caKeys.getPrivate());
        raKeys = rsa();
        X509v3CertificateBuilder r = new JcaX509v3CertificateBuilder(caCert, BigInteger.TWO,
                java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plus(raValidity)),
                new X500Name("CN=Test NDES RA,O=Example"), raKeys.getPublic());
        r.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));

        server = new Server();
        SelectChannelConnector connector = new SelectChannelConnector();
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.addServlet(new ServletHolder(new Front(new Scep())), "/scep");
        ctx.addServlet(new ServletHolder(new Crl()), "/crl/*");
        server.setHandler(ctx);
        server.start();
        port = connector.getLocalPort();
        r.addExtension(Extension.cRLDistributionPoints, false, crlPoint());
        raCert = convert(r, caKeys.getPrivate());
        https = challengePageServer();
    }

    /** An HTTPS server for the challenge page, with a certificate for 127.0.0.1 issued by this CA. */
    private HttpsServer challengePageServer() throws Exception {
        KeyPair tlsKeys = rsa();
        Instant now = Instant.now();
        X509v3CertificateBuilder t = new JcaX509v3CertificateBuilder(caCert, BigInteger.valueOf(3),
                java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=127.0.0.1"), tlsKeys.getPublic());
        t.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate tlsCert = convert(t, caKeys.getPrivate());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tls", tlsKeys.getPrivate(), new char[0], new X509Certificate[] {tlsCert, caCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ssl));
        s.createContext("/certsrv/mscep_admin/", this::serveChallengePage);
        s.start();
        return s;
    }

    private CRLDistPoint crlPoint() {
        return new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(
                        GeneralName.uniformResourceIdentifier, "http://127.0.0.1:" + port + "/crl/root.crl"))),
                        null, null)});
    }

    /** A CA that signs and decrypts SCEP messages itself. */
    public static TestCa start() throws Exception {
        return new TestCa(false, Duration.ofDays(365));
    }

    /** A CA behind an RA (as NDES), whose RA certificate is valid for {@code raValidity}. */
    public static TestCa startWithRa(Duration raValidity) throws Exception {
        return new TestCa(true, raValidity);
    }

    /** The SCEP URL. */
    public String url() {
        return "http://127.0.0.1:" + port + "/scep";
    }

    /** The NDES-like challenge page URL (HTTPS; trust {@link #trustStore(Path)}). */
    public String challengeUrl() {
        return "https://127.0.0.1:" + https.getAddress().getPort() + "/certsrv/mscep_admin/";
    }

    /** The SHA-256 fingerprint of the CA certificate, as hex for {@code caFingerprint}. */
    public String caFingerprint() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(caCert.getEncoded()));
    }

    /** Writes the CA certificate as PEM into {@code file}, a trust store for the challenge page's HTTPS. */
    public Path trustStore(Path file) throws Exception {
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(caCert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    /** Requests must carry this challenge; {@code null} accepts any (and none). */
    public TestCa requireChallenge(String challenge) {
        this.staticChallenge = challenge;
        return this;
    }

    /** Every enrolment fails with {@code info}; {@code null} stops failing. */
    public TestCa failWith(FailInfo info) {
        this.failWith = info;
        return this;
    }

    /** Enrolments answer PENDING, then issue after {@code n} polls. */
    public TestCa pendingFor(int n) {
        this.pendingPolls = n;
        return this;
    }

    /** How issued certificates differ from what was requested, for tests of the extender's check. */
    public enum Tamper {
        /** Exactly as requested, signed by the CA. */
        NONE,
        /** Another subject than the requested one. */
        OTHER_SUBJECT,
        /** An alternative name that was not requested. */
        EXTRA_NAME,
        /** Signed by another key under the CA's name. */
        OTHER_SIGNER
    }

    /** Issues certificates altered as {@code t} says. */
    public TestCa tamper(Tamper t) {
        this.tamper = t;
        return this;
    }

    /** Every SCEP request answers this HTTP status; 0 answers normally. */
    public TestCa answerStatus(int status) {
        this.httpStatus = status;
        return this;
    }

    /** The challenge page says its password cache is full. */
    public TestCa cacheFull(boolean full) {
        this.cacheFull = full;
        return this;
    }

    /** Every one-time challenge the page handed out. */
    public List<String> handedOutChallenges() {
        return List.copyOf(handedOut);
    }

    /** PKCSReq messages received. */
    public int enrolRequests() {
        return enrolRequests.get();
    }

    /** GetCertInitial messages received. */
    public int polls() {
        return polls.get();
    }

    /** HTTP requests to the SCEP URL, of any operation. */
    public int scepRequests() {
        return scepRequests.get();
    }

    @Override
    public void close() throws Exception {
        https.stop(0);
        server.stop();
    }

    private X509Certificate issue(PKCS10CertificationRequest csr) throws Exception {
        Instant now = Instant.now();
        Tamper t = tamper;
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(X500Name.getInstance(
                caCert.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(serials.incrementAndGet()),
                java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plus(Duration.ofDays(365))),
                t == Tamper.OTHER_SUBJECT ? new X500Name("CN=administrator,O=Example") : csr.getSubject(),
                csr.getSubjectPublicKeyInfo());
        List<GeneralName> names = new ArrayList<>();
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            GeneralNames requested = GeneralNames.fromExtensions(Extensions.getInstance(a.getAttrValues()
                    .getObjectAt(0)), Extension.subjectAlternativeName);
            if (requested != null) {
                names.addAll(List.of(requested.getNames()));
            }
        }
        if (t == Tamper.EXTRA_NAME) {
            names.add(new GeneralName(GeneralName.dNSName, "dc1.corp.example"));
        }
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        b.addExtension(Extension.cRLDistributionPoints, false, crlPoint());
        // OTHER_SIGNER: a key that is not the CA's, under the CA's name (what a rogue CA would send).
        return convert(b, t == Tamper.OTHER_SIGNER ? rsa().getPrivate() : caKeys.getPrivate());
    }

    private static String challengeOf(PKCS10CertificationRequest csr) {
        Attribute[] a = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        return a.length == 0 ? null : ((ASN1String) a[0].getAttrValues().getObjectAt(0)).getString();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate convert(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private final class Scep extends ScepServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected Set<Capability> doCapabilities(String identifier) {
            return EnumSet.of(Capability.POST_PKI_OPERATION, Capability.SHA_256, Capability.AES,
                    Capability.RENEWAL, Capability.SCEP_STANDARD);
        }

        @Override
        protected List<X509Certificate> doGetCaCertificate(String identifier) {
            return useRa ? List.of(raCert, caCert) : List.of(caCert);
        }

        @Override
        protected List<X509Certificate> getNextCaCertificate(String identifier) {
            return List.of();
        }

        @Override
        protected List<X509Certificate> doGetCert(X500Name issuer, BigInteger serial) {
            return List.of();
        }

        @Override
        protected List<X509Certificate> doGetCertInitial(X500Name issuer, X500Name subject, TransactionId transId)
                throws Exception {
            polls.incrementAndGet();
            PKCS10CertificationRequest csr = pending.get(transId.toString());
            if (csr == null) {
                throw new OperationFailureException(FailInfo.badCertId);
            }
            if (pendingPolls > 0) {
                pendingPolls--;
                return List.of();
            }
            pending.remove(transId.toString());
            return List.of(issue(csr));
        }

        @Override
        protected java.security.cert.X509CRL doGetCrl(X500Name issuer, BigInteger serial) {
            return null;
        }

        @Override
        protected List<X509Certificate> doEnrol(PKCS10CertificationRequest csr, X509Certificate sender,
                                                TransactionId transId) throws Exception {
            enrolRequests.incrementAndGet();
            String given = challengeOf(csr);
            boolean challengeOk = staticChallenge == null && oneTimeChallenges.isEmpty()
                    || given != null && (given.equals(staticChallenge) || oneTimeChallenges.remove(given));
            if (!challengeOk) {
                throw new OperationFailureException(FailInfo.badRequest);
            }
            if (failWith != null) {
                throw new OperationFailureException(failWith);
            }
            if (pendingPolls > 0) {
                pending.put(transId.toString(), csr);
                return List.of();
            }
            return List.of(issue(csr));
        }

        @Override
        protected PrivateKey getRecipientKey() {
            return useRa ? raKeys.getPrivate() : caKeys.getPrivate();
        }

        @Override
        protected X509Certificate getRecipient() {
            return useRa ? raCert : caCert;
        }

        @Override
        protected PrivateKey getSignerKey() {
            return getRecipientKey();
        }

        @Override
        protected X509Certificate getSigner() {
            return getRecipient();
        }

        @Override
        protected X509Certificate[] getSignerCertificateChain() {
            return useRa ? new X509Certificate[] {raCert, caCert} : new X509Certificate[] {caCert};
        }
    }

    /** Counts SCEP requests and answers the chosen HTTP error status instead of SCEP when one is set. */
    private final class Front extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ScepServlet scep;

        Front(ScepServlet scep) {
            this.scep = scep;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) throws javax.servlet.ServletException,
                IOException {
            scepRequests.incrementAndGet();
            if (httpStatus != 0) {
                res.sendError(httpStatus);
                return;
            }
            scep.service(req, res);
        }
    }

    /**
     * NDES's mscep_admin page, over HTTPS only (its credential is an NDES administrator's): Basic
     * authentication, one fresh challenge per visit.
     */
    private void serveChallengePage(HttpExchange ex) throws IOException {
        try (ex) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"ndes\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String body;
            if (cacheFull) {
                body = "<HTML><Body><P> The password cache is full. </P></Body></HTML>";
            } else {
                String challenge = java.util.HexFormat.of().withUpperCase().formatHex(
                        java.nio.ByteBuffer.allocate(8).putLong(serials.incrementAndGet() * 7919L).array());
                oneTimeChallenges.add(challenge);
                handedOut.add(challenge);
                body = "<HTML><Body><P> The thumbprint (hash value) for the CA certificate is: <B> 00 </B>"
                        + "<P> The enrollment challenge password is: <B> " + challenge + " </B>"
                        + "<P> This password can be used only once.</Body></HTML>";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_16LE);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-16");
            ex.sendResponseHeaders(200, bytes.length + 2);
            ex.getResponseBody().write(new byte[] {(byte) 0xff, (byte) 0xfe});
            ex.getResponseBody().write(bytes);
        }
    }

    /** A CRL distribution point that answers 200 with an empty body (reachability only). */
    private static final class Crl extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) {
            res.setContentType("application/pkix-crl");
        }
    }

}
