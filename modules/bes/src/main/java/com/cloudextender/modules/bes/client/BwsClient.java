package com.cloudextender.modules.bes.client;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.modules.bes.BesSettings;
import com.cloudextender.modules.bes.wire.Bws;
import com.cloudextender.modules.bes.wire.BwsInventory;
import com.cloudextender.modules.bes.wire.BwsUtil;
import com.cloudextender.modules.bes.wire.Entity;
import com.cloudextender.modules.bes.wire.Messages;
import com.cloudextender.modules.bes.wire.RequestMetadata;
import com.cloudextender.modules.bes.wire.Response;
import com.cloudextender.modules.support.tls.PemTrust;
import jakarta.xml.ws.BindingProvider;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.xml.namespace.QName;
import org.apache.cxf.Bus;
import org.apache.cxf.bus.extension.ExtensionManagerBus;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.jaxws.JaxWsProxyFactoryBean;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPConduitFactory;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module's BWS client: two CXF JAX-WS ports (BWS and BWSUtil) on a bus of the module's own, HTTPS
 * verified against the configured PEM trust store, every connection routed by the extender's proxy
 * decision, a time limit on every answer. Signs in as BES expects: BWSUtil {@code getAuthenticators},
 * the configured authenticator chosen by name, {@code getEncodedUsername}, then HTTP Basic with the
 * encoded name on BWS; every request carries the same {@link RequestMetadata}. Every failure (SOAP fault,
 * HTTP error, an HTML page instead of SOAP, a timeout, a refused certificate) becomes a
 * {@link BesException} naming the operation. Thread-safe.
 */
public final class BwsClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BwsClient.class);

    private final BesSettings settings;
    private final Bus bus;
    private final Bws bws;
    private final BwsUtil util;
    private final BwsInventory inventory;
    private final RequestMetadata metadata;
    private final URI bwsUrl;
    private final URI utilUrl;
    private final Object signInLock = new Object();
    private volatile boolean signedIn;

    private BwsClient(BesSettings settings, Bus bus, Bws bws, BwsUtil util, BwsInventory inventory) {
        this.settings = settings;
        this.bus = bus;
        this.bws = bws;
        this.util = util;
        this.inventory = inventory;
        this.metadata = new RequestMetadata(settings.clientVersion(), settings.locale(), settings.orgUid());
        this.bwsUrl = settings.bwsUrl();
        this.utilUrl = settings.utilUrl();
    }

    /** A client for {@code settings}' BAS; nothing is sent until the first call. */
    public static BwsClient open(BesSettings settings, OutboundProxies proxies) throws IOException {
        SSLContext ssl = PemTrust.sslContext(settings.trustStore());
        // CXF finds its extensions through the context class loader: here, the module's own.
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(BwsClient.class.getClassLoader());
        try {
            Bus bus = new ExtensionManagerBus();
            bus.setExtension(new RoutedConduitFactory(proxies), HTTPConduitFactory.class);
            TLSClientParameters tls = new TLSClientParameters();
            tls.setSslContext(ssl);
            tls.setDisableCNCheck(false);
            proxies.tunnels().ifPresent(sockets -> tls.setSSLSocketFactory(new TunnelledTls(sockets, ssl.getSocketFactory())));
            Bws bws = port(bus, Bws.class, "BWSService", settings.bwsUrl(), settings, tls);
            BwsUtil util = port(bus, BwsUtil.class, "BWSUtilService", settings.utilUrl(), settings, tls);
            BwsInventory inventory = port(bus, BwsInventory.class, "BWSService", settings.bwsUrl(), settings, tls);
            return new BwsClient(settings, bus, bws, util, inventory);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static <T> T port(Bus bus, Class<T> type, String service, URI address, BesSettings s,
                              TLSClientParameters tls) {
        JaxWsProxyFactoryBean factory = new JaxWsProxyFactoryBean();
        factory.setServiceName(new QName(Bws.NS, service));
        factory.setBus(bus);
        factory.setServiceClass(type);
        factory.setAddress(address.toString());
        // Elements the module does not map (newer BES versions add some) are skipped, not a failure.
        factory.setProperties(new java.util.HashMap<>(java.util.Map.of("set-jaxb-validation-event-handler", Boolean.FALSE)));
        T port = type.cast(factory.create());
        Client client = ClientProxy.getClient(port);
        HTTPConduit conduit = (HTTPConduit) client.getConduit();
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(Math.min(s.timeout().toMillis(), 10_000));
        policy.setReceiveTimeout(s.timeout().toMillis());
        policy.setAllowChunking(false); // the BAS answers chunked requests badly; BES samples turn it off too
        policy.setAutoRedirect(false);  // a redirect could carry the credentials elsewhere
        conduit.setClient(policy);
        conduit.setTlsClientParameters(tls);
        return port;
    }

    /** The metadata every request carries. */
    public RequestMetadata metadata() {
        return metadata;
    }

    /** The settings this client was opened with. */
    public BesSettings settings() {
        return settings;
    }

    /**
     * Calls BWS operation {@code operation} after signing in (once), and returns the answer whatever its
     * return status; multi-object operations decode their per-item statuses themselves.
     */
    public <T extends Response> T call(String operation, Function<Bws, T> call) throws BesException {
        signIn();
        T answer = send(operation, bwsUrl, () -> call.apply(bws));
        if (answer.returnStatus == null) {
            throw new BesException("NOT_SOAP", operation + ": the answer has no return status; is "
                    + bwsUrl + " a BWS endpoint?");
        }
        return answer;
    }

    /** {@link #call} for discovery's typed reads. */
    public <T extends Response> T read(String operation, Function<BwsInventory, T> call) throws BesException {
        signIn();
        T answer = send(operation, bwsUrl, () -> call.apply(inventory));
        if (answer.returnStatus == null) {
            throw new BesException("NOT_SOAP", operation + ": the answer has no return status; is "
                    + bwsUrl + " a BWS endpoint?");
        }
        return answer;
    }

    /** {@link #call}, failing with the decoded return code unless the overall status is SUCCESS. */
    public <T extends Response> T callOk(String operation, String object, Function<Bws, T> call) throws BesException {
        T answer = call(operation, call);
        ReturnCodes.require(operation, answer.returnStatus, object);
        return answer;
    }

    /** Signs in unless already signed in: the encoded user name stays valid for the BAS's life. */
    public void signIn() throws BesException {
        if (signedIn) {
            return;
        }
        synchronized (signInLock) {
            if (signedIn) {
                return;
            }
            Messages.GetAuthenticatorsResponse a = send("getAuthenticators", utilUrl,
                    () -> util.getAuthenticators(new Messages.MetadataOnly(metadata)));
            ReturnCodes.require("getAuthenticators", a.returnStatus, null);
            Entity authenticator = a.authenticators().stream()
                    .filter(x -> x.text("name").map(n -> n.equalsIgnoreCase(settings.authenticator())).orElse(false))
                    .findFirst().orElseThrow(() -> new BesException("AUTHENTICATION", "the BAS offers no authenticator named '"
                            + settings.authenticator() + "'; it offers: " + names(a.authenticators())));
            Messages.GetEncodedUsernameRequest r = new Messages.GetEncodedUsernameRequest();
            r.metadata = metadata;
            r.username = settings.username();
            r.orgUid = settings.orgUid();
            r.domain = settings.domain().orElse(null);
            r.authenticator = authenticator.as("authenticator");
            Messages.GetEncodedUsernameResponse e = send("getEncodedUsername", utilUrl,
                    () -> util.getEncodedUsername(r));
            if (e.returnStatus == null || !e.returnStatus.success() || e.encodedUsername == null
                    || e.encodedUsername.isBlank()) {
                throw new BesException("AUTHENTICATION", ReturnCodes.describe("getEncodedUsername", e.returnStatus,
                        "user " + settings.username()) + " (no encoded user name)");
            }
            for (Object port : new Object[]{bws, inventory}) {
                BindingProvider bp = (BindingProvider) port;
                bp.getRequestContext().put(BindingProvider.USERNAME_PROPERTY, e.encodedUsername);
                bp.getRequestContext().put(BindingProvider.PASSWORD_PROPERTY, settings.password());
            }
            signedIn = true;
            LOG.info("Signed in to the BAS {} as {} through the '{}' authenticator", settings.server(),
                    settings.username(), settings.authenticator());
        }
    }

    private static String names(List<Entity> authenticators) {
        return authenticators.isEmpty() ? "none"
                : authenticators.stream().map(x -> "'" + x.text("name").orElse("?") + "'").collect(Collectors.joining(", "));
    }

    private interface Send<T> {
        T run();
    }

    private <T> T send(String operation, URI endpoint, Send<T> send) throws BesException {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(BwsClient.class.getClassLoader());
        try {
            T answer = send.run();
            if (answer == null) {
                throw new BesException("NOT_SOAP", operation + ": " + endpoint + " sent an empty SOAP body");
            }
            return answer;
        } catch (RuntimeException e) {
            BesException b = SoapFailures.classify(operation, endpoint, e);
            if ("AUTHENTICATION".equals(b.reason())) {
                signedIn = false; // the next call signs in again (the password may have been changed since)
            }
            throw b;
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Override
    public void close() {
        bus.shutdown(false);
    }
}
