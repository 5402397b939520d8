package com.cloudextender.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler.Mode;
import org.jivesoftware.smack.java7.XmppHostnameVerifier;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

import com.cloudextender.core.Extender;
import com.cloudextender.core.channel.ChannelState;
import com.cloudextender.core.protocol.AcceptedIq;
import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.core.protocol.HealthIq;
import com.cloudextender.core.protocol.Protocol;
import com.cloudextender.core.protocol.RefusedElement;
import com.cloudextender.core.protocol.ResultIq;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The extender against a real, unmodified XMPP server (Prosody), where the cloud is just another XMPP
 * client: commands, results and their acknowledgement, refusals and health reports must all travel
 * with plain RFC 6120/6121 IQ routing (docs/PROTOCOL.md).
 *
 * <p>Prosody is installed (Debian package) and started on free loopback ports by
 * {@code scripts/peers/prosody}; its folder with configuration, certificate and log is
 * {@code target/prosody-it/server}, and the script's output goes to {@code target/prosody-it/peers.log}.
 */
class ProsodyInteropIT {
    private static final String DOMAIN = "localhost";
    private static final String EXTENDER_PASSWORD = "Extender-Pw-1";
    private static final String CLOUD_PASSWORD = "Cloud-Pw-1";
    private static final String INTRUDER_PASSWORD = "Intruder-Pw-1";
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path script;
    private static Path work;
    private static Path serverDir;
    private static Path peersLog;
    private static Path certificate;
    private static int c2sPort;
    private static int directTlsPort;
    private static X509TrustManager trustProsody;
    private static EntityFullJid extenderJid;

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    @TempDir
    Path home;

    @BeforeAll
    static void startProsody() throws Exception {
        Protocol.registerProviders();
        extenderJid = JidCreate.entityFullFrom("extender@" + DOMAIN + "/extender");
        Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = moduleDir;
        while (root != null && !Files.isExecutable(root.resolve("scripts/peers/prosody"))) {
            root = root.getParent();
        }
        if (root == null) {
            fail("scripts/peers/prosody not found above " + moduleDir);
        }
        script = root.resolve("scripts/peers/prosody");
        work = moduleDir.resolve("target/prosody-it");
        serverDir = work.resolve("server");
        peersLog = work.resolve("peers.log");
        Files.createDirectories(work);
        Files.deleteIfExists(peersLog);
        if (Files.exists(serverDir)) {
            run(Duration.ofSeconds(20), "stop", serverDir.toString()); // left over from an interrupted run
            deleteTree(serverDir);
        }

        long t0 = System.nanoTime();
        try {
            run(Duration.ofMinutes(10), "install");
        } catch (AssertionError e) {
            fail("Prosody, which these tests need, cannot be installed (scripts/peers/prosody install needs a "
                    + "Debian-like machine with apt-get and root): " + e.getMessage(), e);
        }
        long t1 = System.nanoTime();
        String out = null;
        for (int attempt = 1; out == null; attempt++) {
            int[] ports = freePorts(2);
            c2sPort = ports[0];
            directTlsPort = ports[1];
            try {
                out = run(Duration.ofSeconds(30), "start", serverDir.toString(), Integer.toString(c2sPort),
                        Integer.toString(directTlsPort));
            } catch (AssertionError e) {
                // Another process may have taken a port between choosing and binding it.
                if (attempt >= 3 || !e.getMessage().contains("already in use")) {
                    throw e;
                }
            }
        }
        long t2 = System.nanoTime();
        // Should the JVM end without running @AfterAll (killed fork), do not leave the server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(ProsodyInteropIT::killByPidFile, "stop-prosody"));
        certificate = Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(Files.isReadable(certificate), "the start command printed no readable certificate: " + out);
        run(Duration.ofSeconds(30), "adduser", serverDir.toString(), "extender", EXTENDER_PASSWORD);
        run(Duration.ofSeconds(30), "adduser", serverDir.toString(), "cloud", CLOUD_PASSWORD);
        run(Duration.ofSeconds(30), "adduser", serverDir.toString(), "intruder", INTRUDER_PASSWORD);
        System.out.printf("Prosody: install %d ms, start %d ms, accounts %d ms; c2s 127.0.0.1:%d, direct TLS "
                + "127.0.0.1:%d%n", ms(t1 - t0), ms(t2 - t1), ms(System.nanoTime() - t2), c2sPort, directTlsPort);
        trustProsody = trustManagerFor(certificate);
    }

    @AfterAll
    static void stopProsody() throws Exception {
        if (serverDir == null || !Files.exists(serverDir)) {
            return;
        }
        try {
            run(Duration.ofSeconds(30), "stop", serverDir.toString());
        } finally {
            killByPidFile(); // in case the script could not stop it
        }
    }

    /** Stops the server by its PID without the script: the fallback of stopProsody and the JVM shutdown hook. */
    private static void killByPidFile() {
        try {
            Path pidFile = serverDir.resolve("prosody.pid");
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroy);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop Prosody by its PID file: " + e);
        }
    }

    @AfterEach
    void closeEverything() throws Exception {
        Exception first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // --- Tests ---------------------------------------------------------------------------------------

    @Test
    void pingOverStartTls() throws Exception {
        Extender extender = startExtender(starttls(), Map.of());
        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);
        pingRoundTrip(extender, cloud, "it-starttls-1");
    }

    @Test
    void pingOverDirectTls() throws Exception {
        Extender extender = startExtender(directTls(), Map.of());
        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);
        pingRoundTrip(extender, cloud, "it-direct-1");
    }

    @Test
    void failedCommandsEndInErrorResults() throws Exception {
        Extender extender = startExtender(directTls(), Map.of());
        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);

        assertEquals("queued", cloud.command("it-unknown-1", "nope", "x", "{}").state());
        ResultIq unknown = cloud.awaitResult("it-unknown-1");
        assertFalse(unknown.isOk());
        assertEquals("UNKNOWN_MODULE", unknown.errorCode());
        assertEquals("nope", unknown.module());
        assertTrue(json(unknown.payload()).path("message").asText().contains("nope"), unknown.payload());

        assertEquals("queued", cloud.command("it-badargs-1", "core", "ping", "this is not JSON").state());
        ResultIq bad = cloud.awaitResult("it-badargs-1");
        assertFalse(bad.isOk());
        assertEquals("INVALID_ARGUMENTS", bad.errorCode());
        assertFalse(json(bad.payload()).path("message").asText().isEmpty(), bad.payload());
        awaitPendingZero(extender);
    }

    @Test
    void commandFromAnotherAccountIsRefused() throws Exception {
        Extender extender = startExtender(directTls(), Map.of());
        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);
        CloudClient intruder = cloud("intruder", INTRUDER_PASSWORD, true);

        XMPPErrorException refused = assertThrows(XMPPErrorException.class,
                () -> intruder.command("it-intruder-1", "core", "ping", "{\"echo\":\"x\"}"));
        StanzaError error = refused.getStanzaError();
        assertEquals(StanzaError.Condition.forbidden, error.getCondition(), error.toXML().toString());
        assertEquals(StanzaError.Type.AUTH, error.getType());
        assertEquals(extenderJid, refused.getStanza().getFrom(), "the refusal did not come from the extender");
        RefusedElement code = error.getExtension(RefusedElement.ELEMENT, Protocol.NAMESPACE);
        assertNotNull(code, "the IQ error carries no <refused/>: " + error.toXML());
        assertEquals("NOT_AUTHORISED", code.code());
        assertTrue(code.text().contains("intruder@" + DOMAIN), code.text());

        // A refusal closes nothing: the extender stays connected and keeps serving the cloud, and the
        // refused command leaves no result behind.
        assertEquals(ChannelState.CONNECTED, extender.channelStatus().state());
        pingRoundTrip(extender, cloud, "it-after-refusal-1");
        assertTrue(intruder.results.isEmpty(), "the refused command produced a result: " + intruder.results);
        assertEquals(0, extender.outbox().pendingCount());
    }

    @Test
    void unacknowledgedResultStaysPendingAndIsDeliveredAfterReconnectAndRestart() throws Exception {
        Extender first = startExtender(directTls(), Map.of("outbox.retryInterval", "1s"));
        CloudClient silent = cloud("cloud", CLOUD_PASSWORD, false);
        assertEquals("queued", silent.command("it-noack-1", "core", "ping", "{\"echo\":\"keep me\"}").state());
        ResultIq delivered = silent.awaitResult("it-noack-1");
        assertEquals("keep me", json(delivered.payload()).path("echo").asText());
        Thread.sleep(3000); // three retry intervals, still no acknowledgement
        assertEquals(1, first.outbox().pendingCount(), "a result left the outbox without an acknowledgement");

        // The cloud goes away and comes back; the extender restarts from its data folder meanwhile.
        close(silent);
        close(first);
        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);
        Extender second = startExtender(home.resolve("conf/extender.properties"));
        ResultIq again = cloud.awaitResult("it-noack-1");
        assertTrue(again.isOk(), again.payload());
        // The stored result itself (same time stamp), not a second run of the command.
        assertEquals(delivered.payload(), again.payload());
        awaitPendingZero(second);
    }

    @Test
    void unacknowledgedResultIsResentToTheReconnectedCloud() throws Exception {
        Extender extender = startExtender(directTls(), Map.of("outbox.retryInterval", "1s"));
        CloudClient silent = cloud("cloud", CLOUD_PASSWORD, false);
        silent.command("it-resend-1", "core", "ping", "{\"echo\":\"again\"}");
        ResultIq delivered = silent.awaitResult("it-resend-1");
        close(silent);
        Thread.sleep(2500); // retries meet the cloud's address while it is away

        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);
        ResultIq again = cloud.awaitResult("it-resend-1", Duration.ofSeconds(5));
        assertEquals(delivered.payload(), again.payload());
        awaitPendingZero(extender);
        pingRoundTrip(extender, cloud, "it-resend-2");
    }

    @Test
    void healthReportReachesTheCloudThatSentCommands() throws Exception {
        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);
        Extender extender = startExtender(directTls(), Map.of("health.interval", "1s"));
        pingRoundTrip(extender, cloud, "it-health-1");

        // Periodic reports (every second here) arrive and, soon, count the ping as succeeded.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        HealthIq report;
        do {
            report = cloud.health.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(report, "no health report counting the ping reached " + cloud.connection.getUser());
        } while (json(report.report()).path("commands").path("succeeded").asLong() < 1);
        assertEquals(extenderJid, report.getFrom());
        assertHealthy(report);
    }


    /**
     * Issue 16, section 0: an IQ without a namespace from the cloud account crashed the extender's writer thread,
     * and stream resumption replayed it after every resume (110 disconnects in 7 minutes); an unknown IQ got an
     * answer that was not well-formed, and Prosody closed the stream. Each now gets an error, on the same stream.
     */
    @Test
    void oddIqsFromTheCloudAccountGetAnErrorAndTheStreamStaysUp() throws Exception {
        Extender extender = startExtender(directTls(), Map.of());
        CloudClient cloud = cloud("cloud", CLOUD_PASSWORD, true);
        CloudClient raw = new CloudClient("cloud", CLOUD_PASSWORD, true, "raw");
        cleanup.push(raw);
        pingRoundTrip(extender, cloud, "it-odd-0");
        java.time.Instant since = extender.channelStatus().since();
        String[][] odd = {
            {"<command xmlns='' id='it-odd-1' module='core' action='ping'/>", "service-unavailable"},
            {"<foo xmlns='bar'/>", "service-unavailable"},
            {"<command xmlns='urn:cloudextender:2' id='it-odd-2' module='core' action='ping'/>",
                "feature-not-implemented"},
            {"<COMMAND xmlns='urn:cloudextender:1' id='it-odd-3' module='core' action='ping'/>",
                "feature-not-implemented"},
        };
        for (int i = 0; i < odd.length; i++) {
            String id = "odd-" + i;
            IQ answer = raw.rawIq(id, "<iq type='set' id='" + id + "' to='" + extenderJid + "'>" + odd[i][0] + "</iq>");
            assertEquals(IQ.Type.error, answer.getType(), odd[i][0] + " -> " + answer.toXML());
            assertEquals(odd[i][1], answer.getError().getCondition().toString(), odd[i][0] + " -> " + answer.toXML());
            assertEquals(extenderJid, answer.getFrom());
        }
        pingRoundTrip(extender, cloud, "it-odd-4");
        assertEquals(ChannelState.CONNECTED, extender.channelStatus().state());
        assertEquals(since, extender.channelStatus().since(), "the extender reconnected meanwhile: "
                + extender.channelStatus() + "\n" + tail(serverDir.resolve("prosody.log"), 20));
    }

    /** The report has the fields of docs/PROTOCOL.md section 5, with the values of this extender. */
    private static void assertHealthy(HealthIq report) throws IOException {
        JsonNode h = json(report.report());
        assertEquals("extender@" + DOMAIN, h.path("extenderId").asText(), report.report());
        assertEquals("healthy", h.path("state").asText(), report.report());
        assertFalse(h.path("version").asText().isEmpty(), report.report());
        assertEquals("core", h.path("modules").path(0).path("id").asText(), report.report());
        assertTrue(h.path("commands").path("received").isNumber(), report.report());
        assertTrue(h.path("outbox").path("pending").isNumber(), report.report());
        assertTrue(h.path("memory").path("heapMaxBytes").asLong() > 0, report.report());
        assertTrue(h.path("workers").path("size").asInt() > 0, report.report());
    }

    // --- The round trip ------------------------------------------------------------------------------

    private static void pingRoundTrip(Extender extender, CloudClient cloud, String id) throws Exception {
        AcceptedIq accepted = cloud.command(id, "core", "ping", "{\"echo\":\"hi\"}");
        assertEquals(id, accepted.commandId());
        assertEquals("queued", accepted.state());
        ResultIq result = cloud.awaitResult(id);
        assertEquals("core", result.module());
        assertEquals("ping", result.action());
        assertTrue(result.isOk(), () -> "error " + result.errorCode() + ": " + result.payload());
        assertEquals(extenderJid, result.getFrom());
        JsonNode payload = json(result.payload());
        assertEquals("hi", payload.path("echo").asText(), result.payload());
        assertFalse(payload.path("time").asText().isEmpty(), result.payload());
        awaitPendingZero(extender);
    }

    private static void awaitPendingZero(Extender extender) throws InterruptedException {
        await(() -> extender.outbox().pendingCount() == 0, ANSWER,
                () -> extender.outbox().pendingCount() + " result(s) still pending after the acknowledgement");
    }

    // --- The extender --------------------------------------------------------------------------------

    private Map<String, String> starttls() {
        return Map.of("cloud.tls", "starttls", "cloud.port", Integer.toString(c2sPort));
    }

    private Map<String, String> directTls() {
        return Map.of("cloud.tls", "direct", "cloud.port", Integer.toString(directTlsPort));
    }

    /** Writes conf/extender.properties into this test's folder and starts an extender from it. */
    private Extender startExtender(Map<String, String> tls, Map<String, String> overrides) throws Exception {
        Map<String, String> c = new TreeMap<>();
        // For direct TLS the certificate is checked against cloud.host, for STARTTLS against the domain.
        c.put("cloud.host", DOMAIN);
        c.put("cloud.xmppDomain", DOMAIN);
        c.put("cloud.addresses", "cloud@" + DOMAIN);
        c.put("cloud.trustStore", certificate.toString());
        c.put("xmpp.username", "extender");
        c.put("xmpp.password", EXTENDER_PASSWORD);
        c.put("data.dir", home.resolve("data").toString());
        c.put("reconnect.initialDelay", "200ms");
        c.put("reconnect.maxDelay", "2s");
        c.putAll(tls);
        c.putAll(overrides);
        StringBuilder text = new StringBuilder();
        c.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path conf = home.resolve("conf/extender.properties");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, text.toString());
        return startExtender(conf);
    }

    /** Starts an extender from {@code conf} (again, for a restart) and waits until it is connected. */
    private Extender startExtender(Path conf) throws Exception {
        Extender extender = Extender.start(conf, "prosody-interop-machine", Clock.systemUTC());
        cleanup.push(new ExtenderStopper(extender));
        assertTrue(extender.awaitConnected(CONNECT), () -> "the extender did not connect to Prosody: "
                + extender.channelStatus() + "\n" + tail(serverDir.resolve("prosody.log"), 20));
        return extender;
    }

    /**
     * Closes the channel first, then the extender. Extender.close() holds the extender's lock while it waits
     * (up to 5 s) for the channel thread, and that thread needs the same lock to record its last state, so
     * a plain close() always takes 5 s and the thread then still writes data/status.json after close()
     * returned. Closing the channel first lets the thread finish before close() takes the lock.
     */
    private static void stopExtender(Extender extender) {
        extender.channel().close();
        extender.close();
    }

    /** Closes a cloud client before the end of the test. */
    private void close(CloudClient c) {
        cleanup.remove(c);
        c.close();
    }

    /** Stops an extender before the end of the test (for a restart). */
    private void close(Extender extender) {
        cleanup.removeIf(c -> c instanceof ExtenderStopper s && s.extender == extender);
        stopExtender(extender);
    }

    private record ExtenderStopper(Extender extender) implements AutoCloseable {
        @Override
        public void close() {
            stopExtender(extender);
        }
    }

    // --- The cloud: a plain XMPP client ----------------------------------------------------------------

    private CloudClient cloud(String user, String password, boolean acknowledge) throws Exception {
        CloudClient c = new CloudClient(user, password, acknowledge);
        cleanup.push(c);
        return c;
    }

    /** An XMPP client of Prosody standing in for the cloud (or for a stranger). */
    private static final class CloudClient implements AutoCloseable {
        final XMPPTCPConnection connection;
        final BlockingQueue<ResultIq> results = new LinkedBlockingQueue<>();
        final BlockingQueue<HealthIq> health = new LinkedBlockingQueue<>();

        CloudClient(String user, String password, boolean acknowledgeResults) throws Exception {
            this(user, password, acknowledgeResults, "cloud");
        }

        /**
         * @param resource "raw" for a client that sends hand-written stanzas ({@link #rawIq}); stream management is
         *                 then off, since such stanzas are not counted by Smack
         */
        CloudClient(String user, String password, boolean acknowledgeResults, String resource) throws Exception {
            XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(DOMAIN)
                    .setHostAddress(InetAddress.getByName("127.0.0.1"))
                    .setPort(c2sPort)
                    .setUsernameAndPassword(user, password)
                    .setResource(resource)
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(trustProsody)
                    .setHostnameVerifier(new XmppHostnameVerifier())
                    .setConnectTimeout(10_000)
                    .build();
            connection = new XMPPTCPConnection(config);
            connection.setReplyTimeout(ANSWER.toMillis());
            connection.setUseStreamManagement(!"raw".equals(resource));
            connection.registerIQRequestHandler(
                    new AbstractIqRequestHandler(ResultIq.ELEMENT, Protocol.NAMESPACE, IQ.Type.set, Mode.sync) {
                        @Override
                        public IQ handleIQRequest(IQ request) {
                            results.add((ResultIq) request);
                            // Not answering at all is how a cloud that lost the result looks to the extender.
                            return acknowledgeResults ? IQ.createResultIQ(request) : null;
                        }
                    });
            connection.registerIQRequestHandler(
                    new AbstractIqRequestHandler(HealthIq.ELEMENT, Protocol.NAMESPACE, IQ.Type.set, Mode.sync) {
                        @Override
                        public IQ handleIQRequest(IQ request) {
                            health.add((HealthIq) request);
                            return IQ.createResultIQ(request);
                        }
                    });
            connection.connect().login();
            assertTrue(connection.isSecureConnection(), "the cloud's connection is not encrypted");
        }

        /** Sends {@code xml}, an IQ with stanza id {@code id} written by hand, and returns its answer. */
        IQ rawIq(String id, String xml) throws Exception {
            org.jivesoftware.smack.StanzaCollector collector = connection.createStanzaCollector(
                    new org.jivesoftware.smack.filter.StanzaIdFilter(id));
            try {
                connection.sendNonza(new org.jivesoftware.smack.packet.Nonza() {
                    @Override
                    public String getNamespace() {
                        return "jabber:client";
                    }

                    @Override
                    public String getElementName() {
                        return "iq";
                    }

                    @Override
                    public CharSequence toXML(org.jivesoftware.smack.packet.XmlEnvironment environment) {
                        return xml;
                    }
                });
                IQ answer = collector.nextResult(ANSWER.toMillis());
                assertNotNull(answer, "no answer to " + xml + " within " + ANSWER.toMillis() + " ms");
                return answer;
            } finally {
                collector.cancel();
            }
        }

        /** Sends a command and returns the extender's immediate answer; an IQ error is thrown. */
        AcceptedIq command(String id, String module, String action, String arguments) throws Exception {
            CommandIq command = new CommandIq(id, module, action, null, arguments);
            command.setTo(extenderJid);
            IQ answer = connection.sendIqRequestAndWaitForResponse(command);
            return assertInstanceOf(AcceptedIq.class, answer, () -> "not an <accepted/>: " + answer.toXML());
        }

        ResultIq awaitResult(String commandId) throws InterruptedException {
            return awaitResult(commandId, ANSWER);
        }

        /** Waits for the result of {@code commandId}, skipping results of other commands. */
        ResultIq awaitResult(String commandId, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            List<String> others = new ArrayList<>();
            while (true) {
                ResultIq r = results.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) {
                    fail("no result for command " + commandId + " within " + timeout.toMillis() + " ms"
                            + (others.isEmpty() ? "" : "; results of other commands: " + others));
                }
                if (commandId.equals(r.commandId())) {
                    return r;
                }
                others.add(r.commandId());
            }
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }

    // --- Helpers ---------------------------------------------------------------------------------------

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static void await(BooleanSupplier condition, Duration timeout, Supplier<String> message)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail(message.get());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Trusts exactly the certificates in {@code pem}. (Smack re-initialises an SSLContext given to
     * setCustomSSLContext with the JDK's default trust, so the trust manager itself is what is handed over.)
     */
    private static X509TrustManager trustManagerFor(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("prosody-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509TrustManager from " + tmf.getAlgorithm());
    }

    /** Runs scripts/peers/prosody; returns its standard output, or fails with the log's tail. */
    private static String run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "peers-", ".out");
        try {
            Files.writeString(peersLog, "$ prosody " + String.join(" ", args) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(peersLog.toFile()))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new AssertionError("scripts/peers/prosody " + args[0] + " did not finish within "
                        + timeout.toSeconds() + " s; " + tail(peersLog, 30));
            }
            String stdout = Files.readString(out);
            Files.writeString(peersLog, stdout, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            if (p.exitValue() != 0) {
                throw new AssertionError("scripts/peers/prosody " + args[0] + " failed (exit " + p.exitValue() + "): "
                        + tail(peersLog, 30));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                sockets.add(s);
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return file + " (last lines):\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
