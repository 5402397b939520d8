package com.cloudextender.devcloud;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jivesoftware.smack.Smack;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.util.StringUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.core.protocol.Protocol;
import com.cloudextender.devcloud.auth.RandomTokens;
import com.cloudextender.devcloud.auth.SecretFiles;
import com.cloudextender.devcloud.console.ConsoleBackend;
import com.cloudextender.devcloud.console.ConsoleHandler;
import com.cloudextender.devcloud.features.Feature;
import com.cloudextender.devcloud.features.FeatureStore;
import com.cloudextender.devcloud.features.ModuleRollout;
import com.cloudextender.devcloud.http.ApiServer;
import com.cloudextender.devcloud.lease.LeaseTable;
import com.cloudextender.devcloud.meg.GatewayServer;
import com.cloudextender.devcloud.meg.GatewayUsers;
import com.cloudextender.devcloud.meg.RelayConnections;
import com.cloudextender.devcloud.meg.RelayEndpoint;
import com.cloudextender.devcloud.modules.ModuleDownloadHandler;
import com.cloudextender.devcloud.modules.ModuleEntry;
import com.cloudextender.devcloud.modules.ModuleRepository;
import com.cloudextender.devcloud.modules.PackageRefusedException;
import com.cloudextender.devcloud.modules.ReleaseChannel;
import com.cloudextender.devcloud.registration.ActivationCode;
import com.cloudextender.devcloud.registration.ExtenderAccount;
import com.cloudextender.devcloud.registration.ExtenderRegistry;
import com.cloudextender.devcloud.registration.RegistrationHandler;
import com.cloudextender.devcloud.routing.CommandJournal;
import com.cloudextender.devcloud.routing.CommandRouter;
import com.cloudextender.devcloud.routing.CommandStatus;
import com.cloudextender.devcloud.routing.CommandTarget;
import com.cloudextender.devcloud.routing.ExtenderPresence;
import com.cloudextender.devcloud.routing.ResultStore;
import com.cloudextender.devcloud.routing.SentCommand;
import com.cloudextender.devcloud.tls.TlsIdentity;
import com.cloudextender.devcloud.upload.SlotRequestIqProvider;
import com.cloudextender.devcloud.upload.UploadHandler;
import com.cloudextender.devcloud.upload.UploadSlots;
import com.cloudextender.devcloud.xmpp.ClientSession;
import com.cloudextender.devcloud.xmpp.SessionListener;
import com.cloudextender.devcloud.xmpp.XmppServer;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A runnable reference of the cloud side of docs/PROTOCOL.md, for the demo, integration tests and
 * benchmarks: an XMPP endpoint (direct TLS and STARTTLS) whose domain JID is the cloud's address,
 * registration with activation codes, commands with redelivery and per-customer round robin, result
 * and health storage, HTTP upload slots, a module repository with per-customer features that push modules
 * to extenders, and a console REST API, all on the loopback interface.
 *
 * <pre>{@code
 * try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(dir))) {
 *     String code = cloud.createActivationCode("acme");
 *     // … an extender registers with code at cloud.apiUrl(), trusting cloud.certificatePem() …
 *     cloud.awaitConnected(extenderId, Duration.ofSeconds(10));
 *     CommandOutcome outcome = cloud.sendToExtender(extenderId, "core", "ping", "{\"echo\":\"hi\"}",
 *             Duration.ofSeconds(5)).get();
 * }
 * }</pre>
 *
 * <p>The data directory holds the TLS identity ({@code dev-cloud-tls.p12}, {@code dev-cloud-cert.pem}),
 * the registry of activation codes and extenders ({@code registry.json}, password hashes only), the
 * console token ({@code console-token}), the API URL for the CLI ({@code api-url}), uploads
 * ({@code uploads/}), the module repository ({@code modules/} unless {@link DevCloudOptions#modulesDir()}
 * says otherwise) and the enabled features ({@code features.json}). Commands, results and health live in
 * memory. Thread-safe.
 */
public final class DevCloud implements AutoCloseable {
    /** The console token file in the data directory (owner-only permissions). */
    public static final String CONSOLE_TOKEN_FILE = "console-token";
    /** Written at start with the API URL, so that the CLI finds a running dev cloud. */
    public static final String API_URL_FILE = "api-url";
    static final String REGISTRY_FILE = "registry.json";
    static final String UPLOADS_DIR = "uploads";

    private static final Logger LOG = LoggerFactory.getLogger(DevCloud.class);
    private static final long RAW_IQ_TIMEOUT_SECONDS = 30;
    /** The MEG feature's module, and its configuration key holding the customer's relay credential. */
    public static final String MEG_MODULE = "meg";
    private static final String MEG_CREDENTIAL = "relay.credential";

    private final DevCloudOptions options;
    private final TlsIdentity tls;
    private final String consoleToken;
    private final ExtenderRegistry registry;
    private final ModuleRepository modules;
    private final FeatureStore features;
    private final ModuleRollout rollout;
    private final ExtenderPresence presence = new ExtenderPresence();
    private final ResultStore results;
    /** Commands and results kept across restarts; null when {@link DevCloudOptions#durableCommands()} is off. */
    private final CommandJournal journal;
    /** Customer-wide leases; the term is short enough for a failover within 30 s (docs/PROTOCOL.md section 11). */
    private final LeaseTable leases = new LeaseTable(Duration.ofSeconds(15));
    private final CommandRouter router;
    private final Object connectionMonitor = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int resultAcknowledgements = 1;
    private volatile ApiServer api;
    private volatile UploadSlots uploads;
    private volatile XmppServer xmpp;
    private final GatewayUsers gatewayUsers = new GatewayUsers();
    private final RelayConnections relayConnections = new RelayConnections();
    private volatile EventLoopGroup megGroup;
    private volatile RelayEndpoint megRelay;
    private volatile GatewayServer megGateway;

    private DevCloud(DevCloudOptions options, TlsIdentity tls, String consoleToken, ExtenderRegistry registry,
            ModuleRepository modules, FeatureStore features, CommandJournal journal) {
        this.journal = journal;
        this.results = journal == null ? new ResultStore() : new ResultStore(journal);
        this.options = options;
        this.tls = tls;
        this.consoleToken = consoleToken;
        this.registry = registry;
        this.modules = modules;
        this.features = features;
        this.router = new CommandRouter(this::deliver, presence, journal, leases::holder);
        if (journal != null) {
            router.restore(journal.pending());
        }
        this.rollout = new ModuleRollout(modules, features, id -> registry.find(id).map(ExtenderAccount::customer),
                () -> api.url(), (id, action, args, timeout) -> sendToExtender(id, ModuleRollout.COMMAND_MODULE,
                        action, args, timeout));
    }

    /** Starts a dev cloud; every listener binds to 127.0.0.1. */
    public static DevCloud start(DevCloudOptions options) throws IOException {
        Smack.ensureInitialized(); // Smack's own providers first, so that ours are not overwritten
        Protocol.registerProviders();
        SlotRequestIqProvider.register();

        Path dataDir = Files.createDirectories(options.dataDir());
        TlsIdentity tls = TlsIdentity.loadOrCreate(dataDir, options.domain());
        String token = SecretFiles.loadOrCreateToken(dataDir.resolve(CONSOLE_TOKEN_FILE));
        ExtenderRegistry registry = ExtenderRegistry.open(dataDir.resolve(REGISTRY_FILE));
        ModuleRepository modules = ModuleRepository.open(options.modulesDir());
        FeatureStore features = FeatureStore.open(dataDir.resolve(FeatureStore.FILE));
        CommandJournal journal = options.durableCommands() ? CommandJournal.open(dataDir) : null;
        DevCloud cloud = new DevCloud(options, tls, token, registry, modules, features, journal);
        try {
            cloud.startServers();
        } catch (IOException | RuntimeException e) {
            cloud.close();
            throw e;
        }
        return cloud;
    }

    private void startServers() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        var context = tls.serverContext();
        api = ApiServer.bind(loopback, options.apiPort(), context);
        uploads = new UploadSlots(options.dataDir().resolve(UPLOADS_DIR), api.url());
        uploads.fences((extenderId, lease, generation) -> registry.find(extenderId).map(ExtenderAccount::customer)
                .map(customer -> leases.staleReason(customer, lease, generation)).orElse(null));
        api.route(RegistrationHandler.PATH, new RegistrationHandler(registry, options.domain()));
        api.route(ConsoleHandler.PATH, new ConsoleHandler(new Console(), consoleToken));
        api.route(UploadSlots.PATH, new UploadHandler(uploads, consoleToken));
        api.route(ModuleDownloadHandler.PATH, new ModuleDownloadHandler(modules));
        api.start();
        xmpp = XmppServer.start(options.domain(), loopback, options.directTlsPort(), options.startTlsPort(), context,
                (user, password) -> registry.authenticate(user, password) ? null : refusalReason(user),
                new CloudIqHandler(results, presence, router, uploads, () -> resultAcknowledgements, rollout::onHealth,
                        leases),
                new Sessions());
        megGroup = new NioEventLoopGroup(2, new DefaultThreadFactory("dev-cloud-meg", true));
        try {
            megRelay = RelayEndpoint.start(megGroup, loopback, 0, context, this::customerOfRelayCredential,
                    relayConnections);
            megGateway = GatewayServer.start(megGroup, loopback, 0, gatewayUsers, relayConnections);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the MEG relay", e);
        }
        Files.writeString(options.dataDir().resolve(API_URL_FILE), api.url() + "\n", StandardCharsets.UTF_8);
        LOG.info("Dev cloud for domain {} ready: XMPP direct TLS on port {}, STARTTLS on port {}, API {}, MEG relay "
                + "port {}, MEG gateway port {}; trust store {}; console token in {}", options.domain(),
                xmpp.directTlsPort(), xmpp.startTlsPort(), api.url(), megRelay.port(), megGateway.port(),
                tls.certificatePem(), options.dataDir().resolve(CONSOLE_TOKEN_FILE));
    }

    private String refusalReason(String user) {
        String reason = registry.unusableReason(user);
        return reason != null ? reason : "wrong password";
    }

    /** The XMPP domain, which is also the cloud's address in commands. */
    public String domain() {
        return options.domain();
    }

    public int directTlsPort() {
        return xmpp.directTlsPort();
    }

    public int startTlsPort() {
        return xmpp.startTlsPort();
    }

    /** {@code https://localhost:PORT}: registration, uploads and console. */
    public URI apiUrl() {
        return api.url();
    }

    /** The server certificate as PEM: what clients trust. */
    public Path certificatePem() {
        return tls.certificatePem();
    }

    /** The console's bearer token. */
    public String consoleToken() {
        return consoleToken;
    }

    /** Creates a random activation code for {@code customer}: it registers one extender, within 7 days. */
    public String createActivationCode(String customer) {
        return registry.createActivationCode(customer).code();
    }

    /**
     * Adds a given activation code for {@code customer} (scripts use a fixed one), valid for 7 days.
     *
     * @param reusable whether it registers any number of extenders (demonstrations) instead of one
     */
    public String addActivationCode(String code, String customer, boolean reusable) {
        return registry.addActivationCode(code, customer, ExtenderRegistry.DEFAULT_CODE_VALIDITY, reusable).code();
    }

    /**
     * The outcome of a command this dev cloud, or (with {@link DevCloudOptions#durableCommands()}) a previous run of
     * it on the same data directory, sent: pending or recently completed, or known by its stored result (then
     * its elapsed time is unknown, -1). Empty for a command it does not know.
     */
    public Optional<CompletableFuture<CommandOutcome>> outcome(String commandId) {
        Optional<CompletableFuture<CommandOutcome>> routed = router.outcome(commandId);
        if (routed.isPresent()) {
            return routed;
        }
        return results.find(commandId).map(r -> CompletableFuture.completedFuture(new CommandOutcome(r.commandId(),
                r.extenderId(), r.errorCode(), r.payload(), null, -1)));
    }

    /**
     * Sends a command to one extender. It is sent now if the extender is connected, else when it
     * connects, and again after every reconnect until its result arrives.
     *
     * @param timeout the command's time limit (also sets the cloud's deadline: the limit plus a margin);
     *            null for the extender's default
     * @return the outcome; fails only with {@link IllegalArgumentException} for an unknown extender
     */
    public CompletableFuture<CommandOutcome> sendToExtender(String extenderId, String module, String action,
            String argumentsJson, Duration timeout) {
        return send(CommandTarget.extender(extenderId), module, action, argumentsJson, timeout);
    }

    /**
     * Sends a command to one of the customer's connected, healthy extenders (round robin), moving it to
     * another one if that extender disconnects before the result.
     *
     * @return the outcome; fails only with {@link IllegalArgumentException} for an unknown customer
     */
    public CompletableFuture<CommandOutcome> sendToCustomer(String customer, String module, String action,
            String argumentsJson, Duration timeout) {
        return send(CommandTarget.customer(customer), module, action, argumentsJson, timeout);
    }

    private CompletableFuture<CommandOutcome> send(CommandTarget target, String module, String action,
            String argumentsJson, Duration timeout) {
        try {
            return startCommand(target, module, action, argumentsJson, timeout).outcome();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private SentCommand startCommand(CommandTarget target, String module, String action, String argumentsJson,
            Duration timeout) {
        if (target.isCustomer() ? !registry.knowsCustomer(target.customer())
                : registry.find(target.extenderId()).isEmpty()) {
            throw new IllegalArgumentException("no " + target + " is registered");
        }
        if (module == null || module.isBlank() || action == null || action.isBlank()) {
            throw new IllegalArgumentException("a command needs a module and an action");
        }
        return router.send(target, module, action, argumentsJson == null ? "" : argumentsJson, timeout);
    }

    /**
     * Test hook: sends an IQ set with the given raw child XML, optionally from another address; completes
     * with the raw response IQ XML. Fails if the extender is not connected or does not answer in 30 s.
     */
    public CompletableFuture<String> sendRawIq(String extenderId, String childXml, String fromJidOrNull) {
        Optional<ClientSession> session = xmpp.session(extenderId);
        if (session.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException(extenderId + " is not connected"));
        }
        String id = "raw-" + RandomTokens.lowerAlphanumeric(10);
        String from = fromJidOrNull == null ? options.domain() : fromJidOrNull;
        String xml = "<iq type='set' id='" + id + "' from='" + StringUtils.escapeForXmlAttributeApos(from) + "' to='"
                + StringUtils.escapeForXmlAttributeApos(session.get().jid().toString()) + "'>" + childXml + "</iq>";
        return session.get().requestRaw(id, xml).thenApply(iq -> iq.toXML().toString())
                .orTimeout(RAW_IQ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Every registered extender, in registration order. */
    public List<ExtenderView> extenders() {
        List<ExtenderView> views = new ArrayList<>();
        for (ExtenderAccount account : registry.accounts()) {
            views.add(view(account));
        }
        return views;
    }

    public Optional<ExtenderView> extender(String extenderId) {
        return registry.find(extenderId).map(this::view);
    }

    private ExtenderView view(ExtenderAccount account) {
        String id = account.id();
        boolean connected = presence.isConnected(id);
        Instant since = connected ? presence.connectedSince(id).orElse(null) : null;
        return new ExtenderView(id, account.customer(), connected, presence.lastHealth(id).orElse(null), since);
    }

    /** Waits until {@code extenderId} has a bound session; returns false on timeout. */
    public boolean awaitConnected(String extenderId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connectionMonitor) {
            while (!presence.isConnected(extenderId)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                connectionMonitor.wait(left);
            }
            return true;
        }
    }

    /** Test hook: drops the extender's TCP connection abruptly, without closing the XML stream. */
    public void disconnect(String extenderId) {
        xmpp.session(extenderId).ifPresent(ClientSession::abort);
    }

    /**
     * Test hook: ends the extender's session with the stream error {@code conflict}, as the server does when
     * another connection logs in as the same account (a second copy of an installation, or a reconnect while
     * the old session is still open here).
     */
    public void replaceSession(String extenderId) {
        xmpp.session(extenderId).ifPresent(s -> s.close("conflict", "replaced by a new connection of the same account"));
    }

    /** Test hook: the next stream set-up that reaches SASL (of any client) fails with {@code fault}. */
    public void injectHandshakeFault(com.cloudextender.devcloud.xmpp.HandshakeFault fault) {
        xmpp.injectHandshakeFault(fault);
    }

    /** Test hook: revokes the extender's credential; its next SASL authentication fails with not-authorized. */
    public void revokeCredential(String extenderId) {
        registry.revoke(extenderId);
    }

    /** Test hook: when false, results are stored but not acknowledged (no IQ result is sent). */
    public void setAcknowledgeResults(boolean ack) {
        resultAcknowledgements = ack ? 1 : 0;
    }

    /**
     * Test hook: how many times each result is acknowledged: 0 (never), 1 (as a cloud should) or more (a
     * cloud that acknowledges twice, as a buggy or replaying one might).
     */
    public void setResultAcknowledgements(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("acknowledgements per result must be 0 or more, not " + times);
        }
        resultAcknowledgements = times;
    }

    /**
     * Publishes the module package {@code cxm} on {@code channel} ({@code stable} or {@code pre-release}), then
     * pushes it to the connected extenders whose customer has the module's feature enabled and whose release
     * channel accepts it, if it is newer than what they should run so far.
     *
     * @throws PackageRefusedException if the package is not a zip, has no valid {@code module.properties}, or
     *             its id and version are already published
     * @throws IllegalArgumentException if the channel is not one of the two
     */
    public ModuleEntry publishModule(Path cxm, String channel) throws IOException, PackageRefusedException {
        try (InputStream in = Files.newInputStream(cxm)) {
            return publish(in, channel);
        }
    }

    private ModuleEntry publish(InputStream body, String channel) throws IOException, PackageRefusedException {
        ModuleEntry entry = modules.publish(body, ReleaseChannel.parse(channel));
        rollout.onPublished();
        return entry;
    }

    /** The module repository's folder: the packages and {@code index.json}. */
    public Path modulesDir() {
        return modules.folder();
    }

    /** The module repository's index: every published package, by id then version. */
    public List<ModuleEntry> modules() {
        return modules.entries();
    }

    /**
     * Enables the feature {@code moduleId} for {@code customer} with {@code config}, or changes its
     * configuration. The customer's connected extenders get {@code modules/install} (when they do not run
     * the newest version their release channel accepts) or {@code modules/configure} (when the
     * configuration changed); extenders that connect later get the same after their first health report.
     *
     * @return true if the feature was newly enabled, false if it was enabled already
     * @throws IllegalArgumentException if the customer is unknown or no version of the module is published
     * @throws IOException if the feature file cannot be written
     */
    public boolean enableFeature(String customer, String moduleId, Map<String, String> config) throws IOException {
        if (customer == null || !registry.knowsCustomer(customer)) {
            throw new IllegalArgumentException("no customer '" + customer + "' is known; create an activation code "
                    + "for it first");
        }
        if (moduleId == null || !modules.knows(moduleId)) {
            throw new IllegalArgumentException("no module '" + moduleId + "' is published; publish its package "
                    + "first (POST /api/v1/modules)");
        }
        Feature feature = new Feature(customer, moduleId, config == null ? Map.of() : config);
        boolean created = features.enable(feature).isEmpty();
        LOG.info("Feature {} {} for customer '{}'", moduleId, created ? "enabled" : "updated", customer);
        rollout.onFeatureChanged(customer, moduleId);
        return created;
    }

    /**
     * Disables the feature {@code moduleId} for {@code customer}: extenders of the customer that run the
     * module get {@code modules/remove}, now if connected, else after their next health report.
     *
     * @return false if the feature was not enabled
     */
    public boolean disableFeature(String customer, String moduleId) throws IOException {
        boolean removed = features.disable(customer, moduleId).isPresent();
        if (removed) {
            LOG.info("Feature {} disabled for customer '{}'", moduleId, customer);
            rollout.onFeatureChanged(customer, moduleId);
        }
        return removed;
    }

    /** Where each extender of {@code customer} stands with the feature {@code moduleId}. */
    public List<ModuleRollout.Push> featurePushes(String customer, String moduleId) {
        return rollout.pushes(customer, moduleId);
    }

    /** The features enabled for {@code customer}. */
    public List<Feature> features(String customer) {
        return features.of(customer);
    }

    /** The MEG relay endpoint's port (TLS, HTTP/2) on loopback: what extenders' {@code meg} modules connect to. */
    public int megRelayPort() {
        return megRelay.port();
    }

    /** The MEG gateway's port on loopback: an HTTP proxy (plain and CONNECT) for gateway users. */
    public int megGatewayPort() {
        return megGateway.port();
    }

    /**
     * Enables (or reconfigures) the MEG feature for {@code customer}: the {@code meg} module with this
     * relay's address, the dev cloud's certificate as the relay trust store, the customer's relay
     * credential (created once, then kept) and {@code settings} (the allow list {@code allow.*} and any
     * other module key).
     *
     * @return true if the feature was newly enabled
     */
    public boolean enableMeg(String customer, Map<String, String> settings) throws IOException {
        Map<String, String> config = new java.util.TreeMap<>(settings);
        String credential = features.find(customer, MEG_MODULE).map(f -> f.config().get(MEG_CREDENTIAL))
                .orElseGet(() -> RandomTokens.urlSafe(32));
        config.put(MEG_CREDENTIAL, credential);
        config.put("relay.addresses", "localhost:" + megRelay.port());
        config.put("relay.trustStore", tls.certificatePem().toString());
        return enableFeature(customer, MEG_MODULE, config);
    }

    /** Adds (or replaces) a gateway user who reaches {@code customer}'s intranet through its extenders. */
    public void addGatewayUser(String customer, String user, String password) {
        gatewayUsers.put(user, customer, password);
    }

    /** The number of authenticated tunnel connections of {@code customer}'s extenders. */
    public int megConnections(String customer) {
        return relayConnections.count(customer);
    }

    /** Test hook: drops every tunnel connection of {@code customer} abruptly (the extenders reconnect). */
    public void dropMegConnections(String customer) {
        relayConnections.closeAll(customer);
    }

    private Optional<String> customerOfRelayCredential(String credential) {
        byte[] given = credential.getBytes(StandardCharsets.UTF_8);
        String match = null;
        for (Feature f : features.allOf(MEG_MODULE)) {
            String c = f.config().get(MEG_CREDENTIAL);
            if (c != null && java.security.MessageDigest.isEqual(c.getBytes(StandardCharsets.UTF_8), given)) {
                match = f.customer();
            }
        }
        return Optional.ofNullable(match);
    }

    /** The customer-wide leases: holders, generations and every grant so far. */
    public LeaseTable leases() {
        return leases;
    }

    /** Sets the term of lease grants and renewals from now on (tests shorten it; the default is 15 s). */
    public void leaseTerm(Duration term) {
        leases.term(term);
    }

    /** Every distinct result received, with the number of copies per command id. */
    public List<ResultView> results() {
        return results.all();
    }

    public List<UploadView> uploads() {
        return uploads.all();
    }

    /** Stops the listeners, closes every connection and ends pending commands with {@code CANCELLED}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        rollout.close();
        if (megGateway != null) {
            megGateway.close();
        }
        if (megRelay != null) {
            megRelay.close();
        }
        if (megGroup != null) {
            megGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (xmpp != null) {
            xmpp.close();
        }
        if (api != null) {
            api.close();
        }
        router.close();
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.warn("Cannot close the command journal in {}: {}", options.dataDir(), e.toString());
            }
        }
        try {
            Files.deleteIfExists(options.dataDir().resolve(API_URL_FILE));
        } catch (IOException e) {
            LOG.debug("Cannot delete {}: {}", API_URL_FILE, e.toString());
        }
    }

    private CompletableFuture<IQ> deliver(String extenderId, CommandIq command) {
        XmppServer server = xmpp;
        Optional<ClientSession> session = server == null ? Optional.empty() : server.session(extenderId);
        if (session.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException(extenderId + " is not connected"));
        }
        return session.get().request(command);
    }

    /** Connection events: presence first, then the router, which reads presence. */
    private final class Sessions implements SessionListener {
        @Override
        public void onBound(ClientSession session) {
            String id = session.localpart();
            String customer = registry.find(id).map(ExtenderAccount::customer).orElse(null);
            presence.connected(id, customer, session, session.connectedSince());
            router.onConnected(id);
            rollout.onConnected(id);
            synchronized (connectionMonitor) {
                connectionMonitor.notifyAll();
            }
        }

        @Override
        public void onClosed(ClientSession session) {
            if (presence.disconnected(session.localpart(), session)) {
                router.onDisconnected(session.localpart());
                rollout.onDisconnected(session.localpart());
            }
        }
    }

    /** The console's view of this cloud. */
    private final class Console implements ConsoleBackend {
        @Override
        public List<ExtenderView> extenders() {
            return DevCloud.this.extenders();
        }

        @Override
        public ActivationCode createActivationCode(String customer) {
            return registry.createActivationCode(customer);
        }

        @Override
        public SentCommand send(CommandTarget target, String module, String action, String argumentsJson,
                Duration timeout) {
            return startCommand(target, module, action, argumentsJson, timeout);
        }

        @Override
        public Optional<CommandStatus> command(String commandId) {
            return router.status(commandId);
        }

        @Override
        public List<UploadView> uploads() {
            return DevCloud.this.uploads();
        }

        @Override
        public List<ResultView> results() {
            return DevCloud.this.results();
        }

        @Override
        public ModuleEntry publishModule(InputStream body, String channel) throws IOException, PackageRefusedException {
            return publish(body, channel);
        }

        @Override
        public List<ModuleEntry> modules() {
            return DevCloud.this.modules();
        }

        @Override
        public boolean enableFeature(String customer, String moduleId, Map<String, String> config) throws IOException {
            return DevCloud.this.enableFeature(customer, moduleId, config);
        }

        @Override
        public boolean disableFeature(String customer, String moduleId) throws IOException {
            return DevCloud.this.disableFeature(customer, moduleId);
        }

        @Override
        public List<ModuleRollout.Push> featurePushes(String customer, String moduleId) {
            return DevCloud.this.featurePushes(customer, moduleId);
        }

        @Override
        public List<Feature> features(String customer) {
            return DevCloud.this.features(customer);
        }
    }
}
