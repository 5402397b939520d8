package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;

import com.cloudextender.core.protocol.HealthIq;

/** The XMPP endpoint: TLS, authentication, binding, pings, errors, robustness. */
class ChannelTest extends WithDevCloud {

    @Test
    void anExtenderConnectsWithDirectTlsAndBindsItsResource() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            assertTrue(cloud.awaitConnected(ext.id, Duration.ofSeconds(5)));
            assertEquals(ext.id + "@localhost/extender", ext.connection().getUser().toString());
            ExtenderView view = cloud.extender(ext.id).orElseThrow();
            assertTrue(view.connected());
            assertTrue(view.connectedSince() != null);
        }
    }

    @Test
    void anExtenderConnectsWithStartTlsAndTheStreamIsEncrypted() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectStartTls()) {
            assertTrue(ext.connection().isSecureConnection());
            assertTrue(cloud.awaitConnected(ext.id, Duration.ofSeconds(5)));
        }
    }

    @Test
    void aWrongPasswordFailsWithNotAuthorized() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme");
        XMPPTCPConnection connection = new XMPPTCPConnection(ext.directTlsConfig("not-the-password"));
        try {
            connection.connect();
            SASLErrorException e = assertThrows(SASLErrorException.class, connection::login);
            assertEquals(SASLError.not_authorized, e.getSASLFailure().getSASLError());
        } finally {
            connection.disconnect();
        }
        assertFalse(cloud.extender(ext.id).orElseThrow().connected());
    }

    @Test
    void aRevokedCredentialFailsWithNotAuthorized() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme");
        ext.connectStartTls().disconnect(); // the credential works before revocation

        cloud.revokeCredential(ext.id);

        XMPPTCPConnection connection = new XMPPTCPConnection(ext.startTlsConfig(ext.password));
        try {
            connection.connect();
            SASLErrorException e = assertThrows(SASLErrorException.class, connection::login);
            assertEquals(SASLError.not_authorized, e.getSASLFailure().getSASLError());
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void theCertificateVerifiesForLocalhostButNotForAnotherHostName() throws Exception {
        var tls = TestTls.trusting(cloud.certificatePem());
        assertEquals(null, handshakeAs(tls, "localhost"));
        assertEquals(null, handshakeAs(tls, "127.0.0.1"));
        assertTrue(handshakeAs(tls, "other.example") instanceof SSLHandshakeException);
    }

    /** A direct-TLS handshake verifying the host name {@code host}; returns the failure or null. */
    private Exception handshakeAs(SSLContext tls, String host) throws IOException {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), cloud.directTlsPort());
                SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, plain.getPort(), true)) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            return null;
        } catch (SSLException e) {
            return e;
        }
    }

    @Test
    void theStartTlsListenerRefusesAuthenticationBeforeTls() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), cloud.startTlsPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("<stream:stream to='localhost' xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String features = readUntil(socket.getInputStream(), "</stream:features>");
            assertTrue(features.contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"),
                    features);
            assertFalse(features.contains("mechanisms"), features);

            out.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth>"
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = readUntil(socket.getInputStream(), "</stream:stream>");
            assertTrue(answer.contains("<policy-violation"), answer);
        }
    }

    @Test
    void pingsToTheServerAreAnswered() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            assertTrue(PingManager.getInstanceFor(ext.connection()).pingMyServer(true));
            Ping ping = new Ping(JidCreate.domainBareFrom("localhost"));
            IQ answer = ext.connection().sendIqRequestAndWaitForResponse(ping);
            assertEquals(IQ.Type.result, answer.getType());
        }
    }

    @Test
    void anUnknownIqToTheDomainIsServiceUnavailable() throws Exception {
        try (FakeExtender ext = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            IQ unknown = new HealthIq("{}");
            unknown.setType(IQ.Type.get); // health is a set; a get is not understood
            unknown.setTo(JidCreate.domainBareFrom("localhost"));
            XMPPException.XMPPErrorException e = assertThrows(XMPPException.XMPPErrorException.class,
                    () -> ext.connection().sendIqRequestAndWaitForResponse(unknown));
            assertEquals(StanzaError.Condition.service_unavailable, e.getStanzaError().getCondition());
            assertTrue(ext.connection().isConnected());
        }
    }

    @Test
    void malformedXmlClosesOnlyThatConnection() throws Exception {
        try (FakeExtender good = FakeExtender.register(cloud, "acme").connectDirectTls()) {
            FakeExtender bad = FakeExtender.register(cloud, "acme").connectDirectTls();
            assertTrue(cloud.awaitConnected(bad.id, Duration.ofSeconds(5)));

            // Write broken XML under Smack's feet, straight onto its TLS socket.
            Field field = XMPPTCPConnection.class.getDeclaredField("socket");
            field.setAccessible(true);
            Socket socket = (Socket) field.get(bad.connection());
            // One stream, written once: the server's error can close the client's socket right after the write.
            OutputStream out = socket.getOutputStream();
            out.write("<iq type='get' id='x'><<<</iq>".getBytes(StandardCharsets.UTF_8));

            waitUntil(() -> !cloud.extender(bad.id).orElseThrow().connected());
            assertTrue(cloud.extender(good.id).orElseThrow().connected());
            assertTrue(PingManager.getInstanceFor(good.connection()).pingMyServer(true));
            bad.close();
        }
    }

    @Test
    void aNewConnectionOfTheSameAccountReplacesTheOldOne() throws Exception {
        FakeExtender first = FakeExtender.register(cloud, "acme").connectDirectTls();
        XMPPTCPConnection second = new XMPPTCPConnection(first.startTlsConfig(first.password));
        try {
            second.connect().login();
            waitUntil(() -> !first.connection().isConnected());
            assertTrue(cloud.awaitConnected(first.id, Duration.ofSeconds(5)));
            assertTrue(PingManager.getInstanceFor(second).pingMyServer(true));
        } finally {
            second.disconnect();
            first.close();
        }
    }

    @Test
    void aClientClosingItsStreamIsDisconnected() throws Exception {
        FakeExtender ext = FakeExtender.register(cloud, "acme").connectStartTls();
        assertTrue(cloud.awaitConnected(ext.id, Duration.ofSeconds(5)));

        ext.disconnect(); // sends </stream:stream>

        waitUntil(() -> !cloud.extender(ext.id).orElseThrow().connected());
    }

    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!text.toString().contains(marker)) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
