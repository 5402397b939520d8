package com.cloudextender.devcloud;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.java7.XmppHostnameVerifier;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;

import com.cloudextender.core.protocol.AcceptedIq;
import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.core.protocol.HealthIq;
import com.cloudextender.core.protocol.Protocol;
import com.cloudextender.core.protocol.RefusedElement;
import com.cloudextender.core.protocol.ResultIq;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stand-in extender made of a plain Smack connection: registers over HTTPS, connects with direct
 * TLS or STARTTLS (verifying the certificate and host name), records the commands it receives and
 * answers them as the test says (by default: accepted, no result).
 */
final class FakeExtender implements AutoCloseable {
    final String id;
    final String password;
    final String customer;
    private final DevCloud cloud;
    /** Every command received, in order. */
    final BlockingQueue<CommandIq> commands = new LinkedBlockingQueue<>();
    /** The immediate answer to a command; default: accepted. */
    volatile Function<CommandIq, IQ> answer = c -> new AcceptedIq(c.commandId(), "queued");
    private XMPPTCPConnection connection;

    private FakeExtender(DevCloud cloud, String id, String password, String customer) {
        this.cloud = cloud;
        this.id = id;
        this.password = password;
        this.customer = customer;
    }

    /** Registers a new extender with an activation code of {@code customer}. */
    static FakeExtender register(DevCloud cloud, String customer) throws Exception {
        String code = cloud.createActivationCode(customer);
        Api.Response response = new Api(cloud).post("/api/v1/register",
                "{\"activationCode\":\"" + code + "\",\"hostname\":\"test-host\",\"version\":\"0.1.0\",\"machine\":\"ab12\"}",
                null);
        if (response.status() != 201) {
            throw new IllegalStateException("registration failed: " + response.status() + " " + response.body());
        }
        JsonNode json = response.json();
        return new FakeExtender(cloud, json.get("extenderId").asText(), json.get("password").asText(), customer);
    }

    /** The same extender (id and password) for {@code other}: a restarted dev cloud, for example. */
    FakeExtender on(DevCloud other) {
        return new FakeExtender(other, id, password, customer);
    }

    /** Connects with TLS from the first byte and logs in. */
    FakeExtender connectDirectTls() throws Exception {
        return connect(directTlsConfig(password));
    }

    /** Connects with STARTTLS and logs in. */
    FakeExtender connectStartTls() throws Exception {
        return connect(startTlsConfig(password));
    }

    XMPPTCPConnectionConfiguration directTlsConfig(String pass) throws IOException, GeneralSecurityException {
        SSLContext tls = TestTls.trusting(cloud.certificatePem());
        return XMPPTCPConnectionConfiguration.builder().setXmppDomain(JidCreate.domainBareFrom("localhost"))
                .setHostAddress(InetAddress.getLoopbackAddress()).setPort(cloud.directTlsPort())
                .setSocketFactory(TestTls.directTls(tls, "localhost")).setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(id, pass).setResource("extender").setSendPresence(false)
                .setConnectTimeout(5_000).build();
    }

    XMPPTCPConnectionConfiguration startTlsConfig(String pass) throws IOException, GeneralSecurityException {
        return XMPPTCPConnectionConfiguration.builder().setXmppDomain(JidCreate.domainBareFrom("localhost"))
                .setHostAddress(InetAddress.getLoopbackAddress()).setPort(cloud.startTlsPort())
                .setCustomX509TrustManager(TestTls.trustManager(cloud.certificatePem()))
                .setHostnameVerifier(new XmppHostnameVerifier()).setSecurityMode(SecurityMode.required)
                .setUsernameAndPassword(id, pass).setResource("extender").setSendPresence(false)
                .setConnectTimeout(5_000).build();
    }

    private FakeExtender connect(XMPPTCPConnectionConfiguration config) throws Exception {
        Protocol.registerProviders();
        XMPPTCPConnection c = new XMPPTCPConnection(config);
        c.setReplyTimeout(5_000);
        c.registerIQRequestHandler(new AbstractIqRequestHandler(CommandIq.ELEMENT, Protocol.NAMESPACE, IQ.Type.set,
                IQRequestHandler.Mode.async) {
            @Override
            public IQ handleIQRequest(IQ request) {
                CommandIq command = (CommandIq) request;
                commands.add(command);
                return answer.apply(command);
            }
        });
        c.connect().login();
        connection = c;
        return this;
    }

    XMPPTCPConnection connection() {
        return connection;
    }

    /** Sends a health report with {@code state}; returns once the cloud acknowledged it. */
    void sendHealth(String state) throws Exception {
        HealthIq health = new HealthIq("{\"extenderId\":\"" + id + "\",\"version\":\"0.1.0\",\"state\":\"" + state + "\"}");
        health.setTo(JidCreate.domainBareFrom(cloud.domain()));
        connection.sendIqRequestAndWaitForResponse(health);
    }

    /**
     * Sends a healthy report with {@code releaseChannel} (null for none) and {@code modules}, each written
     * {@code id@version}, or {@code id@version>pendingVersion} for a scheduled upgrade; returns once the cloud
     * acknowledged it.
     */
    void sendModulesHealth(String releaseChannel, String... modules) throws Exception {
        ObjectNode report = Api.JSON.createObjectNode().put("extenderId", id)
                .put("version", "0.1.0").put("state", "healthy");
        if (releaseChannel != null) {
            report.put("releaseChannel", releaseChannel);
        }
        ArrayNode list = report.putArray("modules");
        list.addObject().put("id", "core").put("version", "0.1.0").put("state", "active");
        for (String m : modules) {
            String[] idVersion = m.split("@", 2);
            String[] versions = idVersion[1].split(">", 2);
            ObjectNode module = list.addObject().put("id", idVersion[0]).put("version", versions[0]);
            module.put("state", versions.length > 1 ? "scheduled" : "active");
            if (versions.length > 1) {
                module.put("pendingVersion", versions[1]);
            }
        }
        HealthIq health = new HealthIq(report.toString());
        health.setTo(JidCreate.domainBareFrom(cloud.domain()));
        connection.sendIqRequestAndWaitForResponse(health);
    }

    /** Fails the test if a command arrives within {@code millis}. */
    void expectNoCommand(long millis) throws InterruptedException {
        CommandIq command = commands.poll(millis, TimeUnit.MILLISECONDS);
        if (command != null) {
            throw new AssertionError(id + " received an unexpected command " + command.module() + "/"
                    + command.action() + " " + command.arguments());
        }
    }

    /** Sends a result and returns the cloud's answer (the acknowledgement). */
    IQ sendResult(String commandId, String errorCode, String payload) throws Exception {
        ResultIq result = new ResultIq(commandId, "core", "ping", errorCode, 1, payload);
        result.setTo(JidCreate.domainBareFrom(cloud.domain()));
        return connection.sendIqRequestAndWaitForResponse(result);
    }

    /** The next command received, waiting up to {@code seconds}; fails the test when none comes. */
    CommandIq nextCommand(int seconds) throws InterruptedException {
        CommandIq command = commands.poll(seconds, TimeUnit.SECONDS);
        if (command == null) {
            throw new AssertionError(id + " received no command within " + seconds + " s");
        }
        return command;
    }

    /** An IQ error refusing {@code command} with {@code code}, as the extender sends it. */
    static IQ refusal(CommandIq command, String code, String text) {
        return IQ.createErrorResponse(command, StanzaError.getBuilder(StanzaError.Condition.bad_request)
                .setDescriptiveEnText(text).addExtension(new RefusedElement(code, text)).build());
    }

    /** Closes the stream politely. */
    void disconnect() {
        if (connection != null) {
            connection.disconnect();
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
