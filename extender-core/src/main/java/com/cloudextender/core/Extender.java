package com.cloudextender.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.core.channel.Channel;
import com.cloudextender.core.channel.ChannelCredentials;
import com.cloudextender.core.channel.ChannelListener;
import com.cloudextender.core.channel.ChannelState;
import com.cloudextender.core.channel.ChannelStatus;
import com.cloudextender.core.channel.CloudAddresses;
import com.cloudextender.core.command.ActionRegistry;
import com.cloudextender.core.command.CommandCounters;
import com.cloudextender.core.command.CommandDispatcher;
import com.cloudextender.core.command.CoreActions;
import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.config.ConfigLoader;
import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.health.HealthReporter;
import com.cloudextender.core.identity.Identity;
import com.cloudextender.core.identity.IdentityStore;
import com.cloudextender.core.identity.Registration;
import com.cloudextender.core.identity.RegistrationException;
import com.cloudextender.core.module.ModuleCommands;
import com.cloudextender.core.module.ModuleManager;
import com.cloudextender.core.module.pack.ModuleVersion;
import com.cloudextender.core.outbox.Outbox;
import com.cloudextender.core.protocol.Protocol;
import com.cloudextender.core.protocol.WireText;
import com.cloudextender.core.proxy.OutboundHttp;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.secret.MachineId;
import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.status.StatusServer;
import com.cloudextender.core.status.StatusTls;
import com.cloudextender.core.status.StatusSource;
import com.cloudextender.core.store.LocalStore;
import com.cloudextender.core.tls.TrustMaterial;
import com.cloudextender.core.upload.UploadException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The running extender: wires configuration, local store, identity, channel, dispatcher, outbox and
 * health reports together, and takes them down in the right order.
 */
public final class Extender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Extender.class);

    private final ExtenderConfig config;
    private final LocalStore store;
    private final Clock clock;
    private final Instant startedAt;
    private final ActionRegistry registry = new ActionRegistry();
    private final CommandCounters counters = new CommandCounters();
    private final ObjectMapper json = new ObjectMapper();
    private final IdentityStore identities;
    private final Optional<Registration> registration;
    private final CloseableHttpClient http;
    private final String machineFingerprint;
    private final SecretBox secrets;
    private final ProxyDecision proxies;
    private ModuleManager modules;
    private com.cloudextender.core.lease.LeaseKeeper leases;
    private volatile String extenderId;
    private boolean closing;
    private boolean closed;
    private Channel channel;
    private Outbox outbox;
    private CommandDispatcher dispatcher;
    private HealthReporter health;
    private ScheduledExecutorService housekeeping;
    private StatusServer statusServer;

    private Extender(ExtenderConfig config, LocalStore store, MachineKey key, CloseableHttpClient http,
            ProxyDecision proxies, Clock clock) {
        this.config = config;
        this.secrets = new SecretBox(key);
        this.proxies = proxies;
        this.store = store;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.identities = new IdentityStore(store, key);
        this.http = http;
        this.machineFingerprint = key.fingerprint();
        this.registration = config.cloud().apiUrl().map(u -> new Registration(http, u));
    }

    /** Starts the extender for this machine. */
    public static Extender start(Path configFile) throws StartupException {
        return start(configFile, MachineId.detect(), Clock.systemUTC());
    }

    /**
     * Starts the extender: reads the configuration, opens the local state, registers if needed and
     * begins connecting. Returns once connecting has begun; see {@link #channelStatus()}.
     *
     * @throws StartupException with a message for the administrator when it cannot start
     */
    public static Extender start(Path configFile, String machineId, Clock clock) throws StartupException {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            // Smack logs through java.util.logging: send it to Logback, where conf/logback.xml filters it.
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
        Protocol.registerProviders();
        Path dataDir;
        MachineKey key;
        ExtenderConfig config;
        try {
            dataDir = ConfigLoader.dataDir(configFile);
            key = MachineKey.open(dataDir, machineId);
            config = ConfigLoader.load(configFile, new SecretBox(key));
        } catch (ConfigException e) {
            throw new StartupException("configuration " + configFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StartupException("cannot prepare the data folder: " + e.getMessage(), e);
        }
        LocalStore store;
        try {
            store = LocalStore.open(config.dataDir());
        } catch (RuntimeException e) {
            throw new StartupException(e.getMessage(), e);
        }
        TrustMaterial tls;
        try {
            tls = TrustMaterial.load(config.cloud().trustStore(), config.cloud().trustStorePassword());
        } catch (ConfigException e) {
            store.close();
            throw new StartupException(e.getMessage(), e);
        }
        ProxyDecision proxies;
        try {
            proxies = proxyDecision(config);
        } catch (StartupException e) {
            store.close();
            throw e;
        }
        CloseableHttpClient http = OutboundHttp.client(proxies, tls.sslContext(), Timeout.ofSeconds(30));
        Extender x = new Extender(config, store, key, http, proxies, clock);
        try {
            x.begin(tls, proxies);
            return x;
        } catch (StartupException | RuntimeException e) {
            x.close();
            throw e;
        }
    }

    private static ProxyDecision proxyDecision(ExtenderConfig config) throws StartupException {
        ProxyDecision decision;
        try {
            decision = new com.cloudextender.core.proxy.ProxyDiscovery().decide(config.proxySettings());
        } catch (IllegalArgumentException e) {
            throw new StartupException("proxy discovery: " + e.getMessage(), e);
        }
        // Said once in plain words, so that an administrator sees which proxy the extender took and why.
        LOG.info("Proxy: {}", decision.describe(config.cloud().host(), config.cloud().port()));
        return decision;
    }

    private void begin(TrustMaterial tls, ProxyDecision proxies) throws StartupException {
        ChannelCredentials credentials;
        List<String> addresses;
        if (config.xmppAccount().isPresent()) {
            ExtenderConfig.XmppAccount a = config.xmppAccount().get();
            credentials = new ChannelCredentials(a.username(), config.cloud().xmppDomain(), a.password(), a.resource());
            addresses = config.cloud().addresses();
            extenderId = a.username() + "@" + config.cloud().xmppDomain();
        } else {
            Identity identity = obtainIdentity();
            credentials = credentialsOf(identity);
            addresses = config.cloud().addresses().isEmpty() ? identity.cloudAddresses() : config.cloud().addresses();
        }
        CloudAddresses cloud;
        try {
            cloud = new CloudAddresses(addresses);
        } catch (ConfigException e) {
            throw new StartupException(e.getMessage(), e);
        }
        registry.register(new CoreActions(clock, this::statusReport).module(Version.current()));
        channel = new Channel(config, credentials, cloud, tls, proxies, new Listener(), clock);
        outbox = new Outbox(store, channel, config.rememberResultsFor(), clock, secrets, config.outboxRetryInterval());
        dispatcher = new CommandDispatcher(registry, outbox, config.commands(), counters, clock);
        channel.setCommandAdmitter(dispatcher::admit);
        startModules();
        health = new HealthReporter(this::healthReport,
                report -> {
                    writeStatusFile();
                    if (channel.isConnected()) {
                        channel.sendHealth(report);
                    }
                }, config.healthInterval());
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        long retry = config.outboxRetryInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(() -> {
            if (channel.isConnected()) {
                outbox.sendAllPending();
            }
        }, retry, retry, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::prune, 1, 60, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(this::compactStore, 1, 1, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(modules::applyDueUpgrades, 1, 1, TimeUnit.MINUTES);
        startStatusPage();
        LOG.info("Extender {} (version {}) starting; cloud {}:{}; {} result(s) waiting in the outbox", extenderId,
                Version.current(), config.cloud().host(), config.cloud().port(), outbox.pendingCount());
        channel.start();
    }

    /** Starts the installed modules before the channel opens, so that their commands find them. */
    private void startModules() {
        BulkUploads uploads = new HostUploads();
        leases = new com.cloudextender.core.lease.LeaseKeeper(new com.cloudextender.core.lease.ChannelLeases(channel),
                com.cloudextender.core.lease.LeaseKeeper.DEFAULT_TERM);
        modules = new ModuleManager(config.modules(), ModuleVersion.parse(Version.forModules()), registry,
                new ModuleManager.Services(store, secrets, uploads,
                        com.cloudextender.core.proxy.ModuleProxies.of(proxies), config.dataDir(), leases), clock, () -> {
                    if (health != null) {
                        health.trigger();
                    }
                });
        registry.register(new ModuleCommands(modules, http, config.dataDir().resolve("modules/incoming"),
                config.modules().maxPackageBytes(), config::releaseChannel).module(Version.current()));
        modules.startInstalled();
    }

    /**
     * Starts the local status page when configured. A port that cannot be bound is logged and the extender
     * runs on without the page: the channel and commands matter more than a local view of them.
     */
    private void startStatusPage() {
        ExtenderConfig.Status s = config.status();
        if (!s.enabled()) {
            return;
        }
        try {
            Optional<javax.net.ssl.SSLContext> tls = s.keyStore()
                    .map(k -> StatusTls.context(k, s.keyStorePassword().orElseThrow()));
            statusServer = StatusServer.start(new StatusServer.Settings(s.bind(), s.port(), s.username(), s.password(),
                    tls, s.allowPlaintextRemote()), new StatusSource(
                    this::statusReport, () -> channel.status().state(), dispatcher::queued, counters::latency));
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("The status page cannot listen on {}:{} ({}); the extender runs without it. Set status.port "
                    + "to a free port, or to 0 to turn the page off.", s.bind(), s.port(), e.getMessage());
        }
    }

    /** The local status server, if it runs; for tests. */
    public Optional<StatusServer> statusServer() {
        return Optional.ofNullable(statusServer);
    }

    private void prune() {
        try {
            int n = outbox.prune();
            if (n > 0) {
                LOG.debug("Forgot {} acknowledged result(s) older than {}", n, config.rememberResultsFor());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not prune remembered results: {}", e.toString());
        }
    }

    private void compactStore() {
        try {
            store.compact();
        } catch (RuntimeException e) {
            LOG.warn("Could not compact the local store {}: {}; it keeps working but its file may grow. "
                    + "If this repeats, check the disk and the data folder's permissions", store.file(), e.toString());
        }
    }

    private Identity obtainIdentity() throws StartupException {
        IdentityStore.Loaded loaded = identities.load();
        if (loaded instanceof IdentityStore.Found f) {
            extenderId = f.identity().extenderId();
            return f.identity();
        }
        if (loaded instanceof IdentityStore.Copied) {
            LOG.warn("This data folder was created on another machine (the machine binding does not match): "
                    + "its identity is not used here, so that two extenders never present the same id. "
                    + "This extender registers as a new one.");
            identities.clear();
            Outbox.discardAll(store);
        } else if (loaded instanceof IdentityStore.Damaged d) {
            // Kept until a new one is issued: if registration fails, a restored machine key can still open it.
            LOG.error("The stored identity cannot be read ({}); registering again.", d.reason());
        }
        return register("first start");
    }

    private Identity register(String why) throws StartupException {
        if (config.activationCode().isEmpty() || registration.isEmpty()) {
            throw new StartupException("this extender has no identity yet (" + why + "): set activation.code (and "
                    + "cloud.apiUrl) in the configuration with a code from the cloud console, then start again");
        }
        try {
            Identity id = registration.get().register(config.activationCode().get(), hostname(), Version.current(),
                    machineFingerprint, identities.registrationKey(), clock.millis());
            identities.save(id);
            extenderId = id.extenderId();
            LOG.info("Registered with the cloud as extender {} ({})", WireText.of(id.extenderId()), why);
            return id;
        } catch (RegistrationException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private ChannelCredentials credentialsOf(Identity id) {
        return new ChannelCredentials(id.username(), id.xmppDomain(), id.password(), "extender");
    }

    /** Reacts to channel events: flush the outbox on connect, re-register on a refused credential. */
    private final class Listener implements ChannelListener {
        @Override
        public void connected(boolean resumed) {
            outbox.sendAllPending();
            health.trigger();
        }

        @Override
        public void stateChanged(ChannelStatus status) {
            if (health != null) {
                writeStatusFile();
            }
        }

        @Override
        public ChannelCredentials credentialRejected(ChannelCredentials rejected) {
            if (config.xmppAccount().isPresent() || config.activationCode().isEmpty()) {
                return null;
            }
            // Register first; the new identity replaces the stored one only once the cloud issued it. A failed
            // attempt (a used code, the cloud unreachable) keeps the old identity, which may still be valid
            // (a refusal can be the server's mistake) and is needed to try again after a restart.
            try {
                return credentialsOf(register("the cloud refused the previous credential"));
            } catch (StartupException e) {
                LOG.error("Re-registration failed: {}. The previous identity is kept.", e.getMessage());
                return null;
            }
        }
    }

    /** The core/status report. */
    public Map<String, Object> statusReport() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("extenderId", extenderId);
        m.put("version", Version.current());
        m.put("startedAt", startedAt.toString());
        m.put("uptimeSeconds", Duration.between(startedAt, clock.instant()).toSeconds());
        m.put("proxy", proxies.describe(config.cloud().host(), config.cloud().port()));
        m.put("proxyAuth", proxies.authenticator().status().report());
        m.put("releaseChannel", config.releaseChannel());
        List<Object> installed = new java.util.ArrayList<>();
        installed.add(Map.of("id", CoreActions.MODULE, "version", Version.current(), "state", "active", "builtIn", true));
        installed.add(Map.of("id", ModuleCommands.MODULE, "version", Version.current(), "state", "active",
                "builtIn", true));
        installed.addAll(modules == null ? List.of() : modules.report());
        m.put("modules", installed);
        // A refused install, upgrade or configure (a tampered package, a refused configuration), also of a module
        // that is not installed and so has no lastError of its own.
        if (modules != null) {
            modules.lastRefusal().ifPresent(r -> m.put("moduleManager", r));
        }
        m.put("commands", counters.snapshot());
        ChannelStatus s = channel.status();
        Map<String, Object> ch = new LinkedHashMap<>();
        ch.put("state", s.state().name());
        ch.put("since", s.since().toString());
        ch.put("lastError", s.lastError());
        ch.put("failedAttempts", s.attempts());
        ch.put("nextAttempt", s.nextAttempt() == null ? null : s.nextAttempt().toString());
        ch.put("server", config.cloud().host() + ":" + config.cloud().port());
        m.put("channel", ch);
        m.put("outbox", Map.of("pending", outbox.pendingCount(), "quarantined", outbox.quarantinedCount()));
        // The customer-wide leases this extender's singleton work wants, and which of them it holds.
        m.put("leases", leases == null ? List.of() : leases.status().stream()
                .map(com.cloudextender.core.lease.LeaseStatus::report).toList());
        return m;
    }

    /** The modules' uploads: fenced ones carry their lease's generation to the cloud. */
    private final class HostUploads implements BulkUploads {
        @Override
        public com.cloudextender.api.UploadReceipt upload(Path file, String name, String contentType)
                throws IOException, InterruptedException {
            try {
                return uploader().upload(file, name, contentType);
            } catch (UploadException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public com.cloudextender.api.UploadReceipt upload(Path file, String name, String contentType,
                com.cloudextender.api.ModuleScheduler.Lease fence) throws IOException, InterruptedException {
            if (!fence.held()) {
                throw new IOException("lease " + fence.name() + " is no longer held by this extender; " + name
                        + " was not uploaded");
            }
            try {
                return uploader().upload(file, name, contentType, fence.name(), fence.generation());
            } catch (UploadException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** The health report sent to the cloud (docs/PROTOCOL.md, section 5). */
    public String healthReport() {
        Map<String, Object> m = statusReport();
        int queued = dispatcher.queued();
        boolean degraded = queued > config.commands().queue() * 8 / 10 || outbox.pendingCount() > 10_000
                || dispatcher.queuedArgumentBytes() > config.commands().queueBytes() * 8 / 10;
        m.put("state", degraded ? "degraded" : "healthy");
        Map<String, Object> commands = new LinkedHashMap<>(counters.snapshot());
        commands.put("queued", (long) queued);
        commands.put("queuedArgumentBytes", dispatcher.queuedArgumentBytes());
        m.put("commands", commands);
        Runtime rt = Runtime.getRuntime();
        m.put("memory", Map.of("heapUsedBytes", rt.totalMemory() - rt.freeMemory(), "heapMaxBytes", rt.maxMemory()));
        m.put("workers", Map.of("size", dispatcher.poolSize(), "active", counters.running()));
        // How many unanswered commands the cloud may have out to this extender (docs/PROTOCOL.md, section 3.2).
        m.put("capacity", Map.of("commands", config.commands().queue() + dispatcher.poolSize()));
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes data/status.json for {@code extender status}; atomic, so a reader never sees half a file.
     */
    private synchronized void writeStatusFile() {
        if (closed) {
            return;
        }
        try {
            Path file = config.dataDir().resolve("status.json");
            Path tmp = config.dataDir().resolve("status.json.tmp");
            Files.writeString(tmp, json.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(statusReport()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not write status.json: {}", e.toString());
        }
    }

    public ChannelStatus channelStatus() {
        return channel.status();
    }

    public String extenderId() {
        return extenderId;
    }

    public ExtenderConfig config() {
        return config;
    }

    public ActionRegistry actions() {
        return registry;
    }

    /** The module manager (install, upgrade, remove while running). */
    public ModuleManager modules() {
        return modules;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The proxy decision as modules get it ({@code ModuleContext.proxies()}). */
    public com.cloudextender.api.OutboundProxies moduleProxies() {
        return com.cloudextender.core.proxy.ModuleProxies.of(proxies);
    }

    public Channel channel() {
        return channel;
    }

    /** Bulk uploads through the cloud's upload slots (docs/PROTOCOL.md, section 7). */
    public com.cloudextender.core.upload.Uploader uploader() {
        return new com.cloudextender.core.upload.Uploader(channel, http);
    }

    /** Waits until the channel is connected; for tests, the demo and benchmarks. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (channel != null && channel.isConnected()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /**
     * Stops within about {@code grace}: stops taking commands, lets running ones finish, stores and (while
     * connected) delivers their results, then closes the channel and the store.
     */
    public void stop(Duration grace) {
        long end = System.nanoTime() + grace.toNanos();
        if (dispatcher != null) {
            dispatcher.drain(grace.dividedBy(2));
        }
        try {
            if (outbox != null) {
                outbox.flush(Duration.ofSeconds(2));
                outbox.sendAllPending();
                while (channel.isConnected() && outbox.pendingCount() > 0 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        closeParts();
    }

    private void closeParts() {
        if (statusServer != null) {
            statusServer.close();
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (health != null) {
            health.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (modules != null) {
            modules.close();
        }
        if (leases != null) {
            leases.close();
        }
        if (channel != null) {
            channel.close();
        }
        if (outbox != null) {
            try {
                outbox.flush(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            outbox.close();
        }
        if (channel != null) {
            writeStatusFile();
        }
        synchronized (this) {
            closed = true;
        }
        try {
            http.close();
        } catch (IOException e) {
            LOG.debug("closing the HTTP client: {}", e.toString());
        }
        store.close();
    }
}
