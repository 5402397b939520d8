package com.cloudextender.core.module;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.Reconfigurable;
import com.cloudextender.api.OutboundProxies;
import com.cloudextender.core.command.ActionRegistry;
import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.config.ConfigLoader;
import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.module.pack.ConfigKey;
import com.cloudextender.core.module.pack.ModuleDescriptor;
import com.cloudextender.core.module.pack.ModulePackageException;
import com.cloudextender.core.module.pack.ModuleVersion;
import com.cloudextender.core.module.pack.PackageVerifier;
import com.cloudextender.core.module.pack.PublisherTrust;
import com.cloudextender.core.module.pack.Publishers;
import com.cloudextender.core.module.pack.VerifiedPackage;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.store.LocalStore;

/**
 * Installs, starts, upgrades, reconfigures, disables and removes modules while the extender runs.
 *
 * <p>An upgrade is a hot swap: the new version is verified, loaded and started beside the old one; only
 * when it started and passed its self-check do new commands go to it; the commands in flight on the old
 * version finish (for at most {@code modules.drainTimeout}); then the old version is stopped and its
 * class loader closed. A version that fails anywhere before that is never activated, and the previous
 * one keeps serving. Operations are serialised; commands are routed without locks.
 *
 * <p>On disk ({@code data/modules/}): {@code packages/} holds the signed packages of the installed
 * versions, re-verified at every start; {@code run/} the extracted copies the class loaders read
 * (rebuilt at every start); {@code work/<id>/} each module's own folder; {@code incoming/} downloads.
 */
public final class ModuleManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleManager.class);
    /** Built-in module ids that packages may not take. */
    public static final Set<String> BUILT_IN = Set.of("core", "modules");

    private final ExtenderConfig.Modules settings;
    private final ActionRegistry registry;
    private final ModuleRegistryStore records;
    private final VersionFloors floors;
    private final LocalStore store;
    private final SecretBox secrets;
    private final ModuleLoader loader;
    private final PackageVerifier verifier;
    private final String publisherProblem;
    private final Clock clock;
    private final Runnable changed;
    private final Path packages;
    private final Path run;
    private final Path work;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, ModuleMeters> meters = new ConcurrentHashMap<>();
    /** One per module id, shared by every loaded version of it: a large update replaces the map it reads. */
    private final Map<String, StoreModuleState> states = new ConcurrentHashMap<>();
    private final ReentrantLock operations = new ReentrantLock();
    private final AtomicLong runSeq = new AtomicLong();
    private final ScheduledExecutorService timer;
    private volatile Map<String, Object> lastRefusal;
    private final ExecutorService taskRunner;

    /** One installed module: its record, the version serving now, and what happened last. */
    private static final class Slot {
        volatile InstalledModule record;
        volatile LoadedModule active;
        volatile String state;
        volatile String lastError;

        Slot(InstalledModule record, String state) {
            this.record = record;
            this.state = state;
        }
    }

    /** How the host's services reach the modules. */
    /** @param leases the extender's customer-wide leases; null runs exclusive tasks unfenced */
    public record Services(LocalStore store, SecretBox secrets, BulkUploads uploads, OutboundProxies proxies,
            Path dataDir, com.cloudextender.core.lease.LeaseKeeper leases) {
        public Services(LocalStore store, SecretBox secrets, BulkUploads uploads, OutboundProxies proxies,
                Path dataDir) {
            this(store, secrets, uploads, proxies, dataDir, null);
        }
    }

    public ModuleManager(ExtenderConfig.Modules settings, ModuleVersion coreVersion, ActionRegistry registry,
            Services services, Clock clock, Runnable changed) {
        this.settings = settings;
        this.registry = registry;
        this.store = services.store();
        this.secrets = services.secrets();
        this.records = new ModuleRegistryStore(services.store());
        this.floors = new VersionFloors(services.store());
        this.clock = clock;
        this.changed = changed;
        Path base = services.dataDir().resolve("modules");
        this.packages = base.resolve("packages");
        this.run = base.resolve("run");
        this.work = base.resolve("work");
        List<java.security.cert.X509Certificate> publishers = List.of();
        String problem = null;
        try {
            publishers = Publishers.load(settings.publishers());
            if (publishers.isEmpty()) {
                problem = "no publisher certificate found in " + settings.publishers() + " (modules.publishers)";
            }
        } catch (ModulePackageException e) {
            problem = e.getMessage() + " (modules.publishers)";
        }
        this.publisherProblem = problem;
        if (problem != null) {
            LOG.warn("Modules cannot be installed or started: {}. Put the publisher's certificate there, or fix "
                    + "modules.publishers in the configuration.", problem);
        }
        warnAboutDevelopmentPublisher(publishers);
        // Without publishers nothing can be verified: every install and start is refused with that reason.
        this.verifier = problem != null ? null
                : new PackageVerifier(new PublisherTrust(publishers, settings.deniedPublishers(),
                        settings.allowDevelopmentPublisher()), Math.max(settings.maxPackageBytes() * 4, 64L << 20), 500);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("module-timer"));
        this.taskRunner = Executors.newCachedThreadPool(daemon("module-task"));
        this.loader = new ModuleLoader(coreVersion, settings.startTimeout(), settings.stopTimeout(),
                (d, config, classLoader) -> new HostContext(d.id(), d.version().toString(), config, services.uploads(),
                        new ModuleTasks(d.id(), classLoader, timer, taskRunner, services.leases()),
                        states.computeIfAbsent(d.id(), id -> new StoreModuleState(services.store(), id)),
                        meters.computeIfAbsent(d.id(), id -> new ModuleMeters()), services.proxies(),
                        workDir(d.id())));
    }

    /** Loud at every start while the development key is accepted; a hint when its certificate is trusted but refused. */
    private void warnAboutDevelopmentPublisher(List<java.security.cert.X509Certificate> publishers) {
        if (settings.allowDevelopmentPublisher()) {
            LOG.warn("modules.allowDevelopmentPublisher=true: modules signed with the DEVELOPMENT publisher key are "
                    + "loaded. That private key is public, so anyone can sign a module this extender runs. Use this "
                    + "setting on development and test machines only; remove it everywhere else.");
        } else if (publishers.stream().anyMatch(PublisherTrust::isDevelopment)) {
            LOG.warn("The publisher certificates in {} include the development publisher; modules signed with it are "
                    + "refused (modules.allowDevelopmentPublisher is off). Put the production publisher's certificate "
                    + "there instead.", settings.publishers());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Start-up

    /**
     * Starts every installed, enabled module from its package on disk. A package that is missing, was
     * replaced, or fails verification is refused and reported; the others start regardless.
     */
    public void startInstalled() {
        operations.lock();
        try {
            deleteTree(run);
            deleteTree(packages.getParent().resolve("incoming"));
            for (InstalledModule rec : records.all((id, why) -> LOG.error("The record of installed module {} cannot be "
                    + "read ({}); reinstall the module from the cloud console", id, why))) {
                Slot slot = new Slot(rec, rec.enabled() ? "starting" : "disabled");
                slots.put(rec.id(), slot);
                if (!rec.enabled()) {
                    continue;
                }
                try {
                    VerifiedPackage pkg = verifyStored(rec.packageFile(), rec.sha256(), rec.id(),
                            rec.verificationTime());
                    LoadedModule m = loadExtracted(pkg, cloudConfig(rec));
                    activate(slot, m);
                    floors.activated(pkg.descriptor()); // installations from before floors were kept
                    LOG.info("Module {} {} started ({} actions)", rec.id(), rec.version(), m.actions().size());
                } catch (ModuleFailure e) {
                    slot.state = "failed";
                    slot.lastError = e.getMessage();
                    LOG.error("Module {} {} was not started: {}. The cloud is told; reinstall or upgrade the module from "
                            + "the cloud console.", rec.id(), rec.version(), e.getMessage());
                }
            }
            removeOrphanPackages();
        } finally {
            operations.unlock();
        }
        applyDueUpgrades();
    }

    // ---------------------------------------------------------------------------------------------
    // Operations

    /** Options of an install: what the cloud expects, and whether the update window may be skipped. */
    public record InstallOptions(String expectedId, boolean now, boolean allowDowngrade) {
        public static final InstallOptions DEFAULT = new InstallOptions(null, false, false);
    }

    /** The outcome of an operation, for the command result. */
    public record Change(String id, String version, String state, String previousVersion, String message) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("version", version);
            m.put("state", state);
            if (previousVersion != null) {
                m.put("previousVersion", previousVersion);
            }
            m.put("message", message);
            return m;
        }
    }

    /**
     * Installs or upgrades from a package file (which the caller keeps or deletes).
     *
     * @param config the cloud's configuration for the module; {@code null} keeps the installed one
     */
    public Change install(Path packageFile, Map<String, String> config, InstallOptions options) throws ModuleFailure {
        return install(packageFile, "package " + packageFile.getFileName(), config, options);
    }

    /**
     * Installs or upgrades from a package file (which the caller keeps or deletes). A refusal is logged
     * (WARN, naming the module, the version and the reason) and kept for the status and health reports.
     *
     * @param source how messages name the package before it is verified, e.g. its URL's file name and
     *               the module the cloud announced (never a temporary file's name)
     * @param config the cloud's configuration for the module; {@code null} keeps the installed one
     */
    public Change install(Path packageFile, String source, Map<String, String> config, InstallOptions options)
            throws ModuleFailure {
        operations.lock();
        String id = options.expectedId();
        String version = null;
        try {
            Path target = nextRunFolder("incoming");
            VerifiedPackage pkg = verify(packageFile, target, clock.instant(), source);
            id = pkg.descriptor().id();
            version = pkg.descriptor().version().toString();
            try {
                return installVerified(packageFile, pkg, config, options);
            } catch (ModuleFailure | RuntimeException e) {
                deleteTree(target);
                throw e;
            }
        } catch (ModuleFailure e) {
            refused(id != null && slots.containsKey(id) ? "upgrade" : "install", id, version, e.getMessage());
            throw e;
        } finally {
            operations.unlock();
        }
    }

    /**
     * Records a refused module operation: one WARN line in the extender's log with the module, the
     * version and the reason (a tampered package is visible on site, not only in the cloud's result),
     * the installed module's {@code lastError}, and the manager's last refusal in the status and
     * health reports.
     *
     * @param id      the module, or null when not known (a package refused before its descriptor was trusted)
     * @param version the version, or null when not known
     */
    public void refused(String operation, String id, String version, String reason) {
        String module = id == null ? "(module not known)" : id;
        String ver = version == null ? "(version not verified)" : version;
        LOG.warn("Module {} {}: {} refused: {}", module, ver, operation, reason);
        Slot slot = id == null ? null : slots.get(id);
        if (slot != null) {
            slot.lastError = operation + (version == null ? "" : " of version " + version) + " refused: " + reason;
        }
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("at", clock.instant().toString());
        last.put("operation", operation);
        last.put("module", id);
        last.put("version", version);
        last.put("lastError", reason);
        lastRefusal = java.util.Collections.unmodifiableMap(last);
        changed.run();
    }

    /** The last refused install, upgrade or configure ({@code at, operation, module, version, lastError}), if any. */
    public java.util.Optional<Map<String, Object>> lastRefusal() {
        return java.util.Optional.ofNullable(lastRefusal);
    }

    private Change installVerified(Path file, VerifiedPackage pkg, Map<String, String> config, InstallOptions options)
            throws ModuleFailure {
        ModuleDescriptor d = pkg.descriptor();
        String label = d.id() + " " + d.version();
        if (options.expectedId() != null && !options.expectedId().equals(d.id())) {
            throw new ModuleFailure("the package holds module " + label + ", not the expected module " + options.expectedId());
        }
        if (BUILT_IN.contains(d.id())) {
            throw new ModuleFailure("module id " + d.id() + " is reserved for the extender itself");
        }
        Slot slot = slots.get(d.id());
        if (slot == null || !d.version().equals(ModuleVersion.parse(slot.record.version()))) {
            checkVersionFloor(d, options); // the installed version itself may be sent again, e.g. with a new config
        }
        Map<String, String> cloud = config != null ? config : slot == null ? Map.of() : cloudConfig(slot.record);
        if (slot != null) {
            ModuleVersion installed = ModuleVersion.parse(slot.record.version());
            int cmp = d.version().compareTo(installed);
            if (cmp == 0 && pkg.sha256().equalsIgnoreCase(slot.record.sha256())) {
                deleteTree(pkg.directory());
                if (config != null && !config.equals(cloudConfig(slot.record))) {
                    return configureLocked(d.id(), config);
                }
                return new Change(d.id(), slot.record.version(), slot.state, null, "module " + label
                        + " is already installed; nothing changed");
            }
            if (cmp == 0) {
                throw new ModuleFailure("module " + label + " is installed from a different package with the same "
                        + "version; a published version never changes: publish the change as a new version");
            }
            if (cmp < 0 && !options.allowDowngrade()) {
                throw new ModuleFailure("module " + d.id() + " " + slot.record.version() + " is installed, newer than "
                        + d.version() + "; send allowDowngrade to go back on purpose");
            }
            if (!options.now() && slot.active != null) {
                String wait = updateWait();
                if (wait != null) {
                    moduleConfig(d, cloud); // refuse a bad configuration now, not at the window
                    String stored = storePackage(file, d);
                    deleteTree(pkg.directory());
                    InstalledModule rec = slot.record.withPending(new InstalledModule.Pending(d.version().toString(),
                            stored, pkg.sha256(), sealConfig(d, cloud), pkg.verifiedAt().toEpochMilli()));
                    records.put(rec);
                    slot.record = rec;
                    LOG.info("Upgrade of module {} from {} to {} is scheduled: {}", d.id(), installed, d.version(), wait);
                    changed.run();
                    return new Change(d.id(), d.version().toString(), "scheduled", installed.toString(),
                            "upgrade to " + d.version() + " scheduled: " + wait);
                }
            }
        }
        return swapIn(slot, file, pkg, cloud);
    }

    /**
     * Refuses a version below {@code modules.<id>.minimumVersion}, and a version below the newest ever
     * activated unless the cloud allows a downgrade and the floor permits it (docs/MODULE-PACKAGE.md,
     * "Downgrades"): a compromised cloud must not bring back an old, signed but vulnerable version.
     */
    private void checkVersionFloor(ModuleDescriptor d, InstallOptions options) throws ModuleFailure {
        ModuleVersion configured = settings.minimumVersions().get(d.id());
        String setting = "modules." + d.id() + ".minimumVersion";
        if (configured != null && d.version().compareTo(configured) < 0) {
            throw new ModuleFailure("module " + d.id() + " " + d.version() + " is older than " + setting + "=" + configured
                    + " in the extender's configuration; refused");
        }
        java.util.Optional<VersionFloors.History> history = floors.of(d.id());
        if (history.isEmpty() || d.version().compareTo(history.get().newest()) >= 0) {
            return;
        }
        ModuleVersion newest = history.get().newest();
        if (!options.allowDowngrade()) {
            throw new ModuleFailure("module " + d.id() + " " + newest + " was installed on this extender, newer than "
                    + d.version() + "; send allowDowngrade to go back on purpose");
        }
        ModuleVersion floor;
        String why;
        if (configured != null) {
            floor = configured;
            why = setting + " in the extender's configuration";
        } else if (history.get().downgradeMinVersion().isPresent()) {
            floor = history.get().downgradeMinVersion().get();
            why = "downgrade.minVersion of " + d.id() + " " + newest + ", the newest version installed so far";
        } else {
            floor = newest;
            why = d.id() + " " + newest + ", the newest version installed so far, allows no downgrade (its package "
                    + "declares no downgrade.minVersion)";
        }
        if (d.version().compareTo(floor) < 0) {
            throw new ModuleFailure("downgrade of module " + d.id() + " to " + d.version() + " refused even with "
                    + "allowDowngrade: the oldest version allowed is " + floor + " (" + why + "); an administrator may "
                    + "set " + setting + " to allow an older one");
        }
    }

    /** Loads {@code pkg}, and only when it started and passed its self-check makes it the serving version. */
    private Change swapIn(Slot slot, Path file, VerifiedPackage pkg, Map<String, String> cloud) throws ModuleFailure {
        ModuleDescriptor d = pkg.descriptor();
        String previous = slot == null ? null : slot.record.version();
        LoadedModule next;
        try {
            next = loadExtracted(pkg, cloud);
        } catch (ModuleFailure e) {
            String keeps = slot != null && slot.active != null ? "; version " + slot.active.descriptor().version()
                    + " keeps serving" : "";
            if (slot != null) {
                slot.lastError = "version " + d.version() + " was not activated: " + e.getMessage();
                changed.run();
            }
            LOG.error("Module {} {} was not activated: {}{}", d.id(), d.version(), e.getMessage(), keeps);
            throw new ModuleFailure("module " + d.id() + " " + d.version() + " was not activated: " + e.getMessage() + keeps,
                    e);
        }
        String stored = storePackage(file, d);
        InstalledModule rec = new InstalledModule(d.id(), d.version().toString(), stored, pkg.sha256(), true,
                sealConfig(d, cloud), clock.millis(), null, pkg.verifiedAt().toEpochMilli());
        InstalledModule old = slot == null ? null : slot.record;
        records.put(rec);
        Slot s = slot == null ? new Slot(rec, "active") : slot;
        s.record = rec;
        slots.put(d.id(), s);
        activate(s, next);
        floors.activated(d);
        if (old != null) {
            deletePackageUnlessUsed(old.packageFile(), rec);
            if (old.pending() != null) {
                deletePackageUnlessUsed(old.pending().packageFile(), rec);
            }
        }
        LOG.info("Module {} {} is active{}", d.id(), d.version(), previous == null ? "" : " (was " + previous + ")");
        changed.run();
        return new Change(d.id(), d.version().toString(), "active", previous, previous == null
                ? "module " + d.id() + " " + d.version() + " installed and started"
                : "module " + d.id() + " upgraded from " + previous + " to " + d.version());
    }

    /** Restarts the module with a new configuration from the cloud; the running version serves until then. */
    public Change configure(String id, Map<String, String> config) throws ModuleFailure {
        operations.lock();
        try {
            return configureLocked(id, config);
        } catch (ModuleFailure e) {
            Slot slot = slots.get(id);
            refused("configure", id, slot == null ? null : slot.record.version(), e.getMessage());
            throw e;
        } finally {
            operations.unlock();
        }
    }

    private Change configureLocked(String id, Map<String, String> config) throws ModuleFailure {
        Slot slot = existing(id);
        InstalledModule rec = slot.record;
        Path target = nextRunFolder(id);
        VerifiedPackage pkg = verifyStored(rec.packageFile(), rec.sha256(), id, rec.verificationTime(), target);
        try {
            ModuleDescriptor d = pkg.descriptor();
            validated(d, config);
            if (rec.enabled() && reconfiguredInPlace(slot, d, config)) {
                deleteTree(target);
                InstalledModule updated = rec.withConfig(sealConfig(d, config));
                records.put(updated);
                slot.record = updated;
                LOG.info("Module {} {} reconfigured in place", id, rec.version());
                changed.run();
                return new Change(id, rec.version(), slot.state, null, "module " + id + " configuration applied in place");
            }
            if (rec.enabled()) {
                LoadedModule next;
                try {
                    next = loadExtracted(pkg, config);
                } catch (ModuleFailure e) {
                    slot.lastError = "new configuration not applied: " + e.getMessage();
                    changed.run();
                    throw new ModuleFailure("module " + id + " did not start with the new configuration: " + e.getMessage()
                            + (slot.active != null ? "; it keeps running with the previous configuration" : ""), e);
                }
                InstalledModule updated = rec.withConfig(sealConfig(d, config));
                records.put(updated);
                slot.record = updated;
                activate(slot, next);
            } else {
                deleteTree(target);
                InstalledModule updated = rec.withConfig(sealConfig(d, config));
                records.put(updated);
                slot.record = updated;
            }
            LOG.info("Module {} {} reconfigured", id, rec.version());
            changed.run();
            return new Change(id, rec.version(), slot.state, null, "module " + id + " configuration applied");
        } catch (ModuleFailure | RuntimeException e) {
            deleteTree(target);
            throw e;
        }
    }

    /** Offers the new configuration to a running {@link Reconfigurable} module; true if it applied it. */
    private boolean reconfiguredInPlace(Slot slot, ModuleDescriptor d, Map<String, String> config) throws ModuleFailure {
        LoadedModule running = slot.active;
        if (running == null || !(running.instance() instanceof Reconfigurable r)) {
            return false;
        }
        ModuleConfig next = moduleConfig(d, config);
        try {
            return Guarded.call("reconfigure of " + running.label(), running.loader(), settings.startTimeout(),
                    () -> r.reconfigure(next));
        } catch (ModuleFailure e) {
            throw new ModuleFailure("module " + d.id() + " refused the new configuration: " + e.getMessage()
                    + "; it keeps running with the previous configuration", e);
        }
    }

    /** Starts a disabled module again. */
    public Change enable(String id) throws ModuleFailure {
        operations.lock();
        try {
            Slot slot = existing(id);
            if (slot.active != null) {
                return new Change(id, slot.record.version(), slot.state, null, "module " + id + " is already enabled");
            }
            InstalledModule rec = slot.record.withEnabled(true);
            VerifiedPackage pkg = verifyStored(rec.packageFile(), rec.sha256(), id, rec.verificationTime());
            LoadedModule m;
            try {
                m = loadExtracted(pkg, cloudConfig(rec));
            } catch (ModuleFailure e) {
                deleteTree(pkg.directory());
                slot.state = "failed";
                slot.lastError = e.getMessage();
                changed.run();
                throw e;
            }
            records.put(rec);
            slot.record = rec;
            activate(slot, m);
            changed.run();
            return new Change(id, rec.version(), "active", null, "module " + id + " enabled");
        } finally {
            operations.unlock();
        }
    }

    /** Stops a module but keeps it installed, with its configuration and state. */
    public Change disable(String id) throws ModuleFailure {
        operations.lock();
        try {
            Slot slot = existing(id);
            InstalledModule rec = slot.record.withEnabled(false);
            records.put(rec);
            slot.record = rec;
            deactivate(slot, "disabled");
            changed.run();
            return new Change(id, rec.version(), "disabled", null, "module " + id + " disabled");
        } finally {
            operations.unlock();
        }
    }

    /** Stops and removes a module with its package, its state and its work folder. */
    public Change remove(String id) throws ModuleFailure {
        operations.lock();
        try {
            Slot slot = existing(id);
            deactivate(slot, "removed");
            slots.remove(id);
            records.remove(id);
            deletePackageUnlessUsed(slot.record.packageFile(), null);
            if (slot.record.pending() != null) {
                deletePackageUnlessUsed(slot.record.pending().packageFile(), null);
            }
            states.remove(id);
            StoreModuleState.drop(store, id);
            deleteTree(work.resolve(id));
            meters.remove(id);
            LOG.info("Module {} {} removed", id, slot.record.version());
            changed.run();
            return new Change(id, slot.record.version(), "removed", null, "module " + id + " removed");
        } finally {
            operations.unlock();
        }
    }

    /** Applies the upgrades whose update window has come; called periodically. */
    public void applyDueUpgrades() {
        if (updateWait() != null) {
            return;
        }
        for (Slot slot : List.copyOf(slots.values())) {
            InstalledModule.Pending p = slot.record.pending();
            if (p == null) {
                continue;
            }
            operations.lock();
            try {
                if (slot.record.pending() == null) {
                    continue;
                }
                InstalledModule without = slot.record.withPending(null);
                try {
                    VerifiedPackage pkg = verifyStored(p.packageFile(), p.sha256(), slot.record.id(),
                            p.verifiedAt() > 0 ? java.time.Instant.ofEpochMilli(p.verifiedAt()) : clock.instant());
                    records.put(without);
                    slot.record = without;
                    swapIn(slot, packages.resolve(p.packageFile()), pkg, openConfig(p.config()));
                } catch (ModuleFailure e) {
                    records.put(without);
                    slot.record = without;
                    slot.lastError = "scheduled upgrade to " + p.version() + " failed: " + e.getMessage();
                    deletePackageUnlessUsed(p.packageFile(), without);
                    changed.run();
                }
            } finally {
                operations.unlock();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reports

    /** The installed modules for status and health reports, sorted by id. */
    public List<Map<String, Object>> report() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Slot s : new TreeMap<>(slots).values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            InstalledModule rec = s.record;
            LoadedModule active = s.active;
            m.put("id", rec.id());
            m.put("version", rec.version());
            m.put("state", rec.pending() != null && active != null ? "scheduled" : s.state);
            m.put("enabled", rec.enabled());
            if (active != null) {
                m.put("actions", new java.util.TreeSet<>(active.actions().keySet()));
                m.put("inFlight", active.inFlight());
            }
            if (rec.pending() != null) {
                m.put("pendingVersion", rec.pending().version());
            }
            if (s.lastError != null) {
                m.put("lastError", s.lastError);
            }
            ModuleMeters meter = meters.get(rec.id());
            if (meter != null) {
                m.put("metrics", meter.snapshot());
            }
            out.add(m);
        }
        return out;
    }

    /** True when a module {@code id} is installed, whatever its state. */
    public boolean isInstalled(String id) {
        return slots.containsKey(id);
    }

    /** The version serving {@code id} now, if any. */
    public java.util.Optional<String> activeVersion(String id) {
        Slot s = slots.get(id);
        LoadedModule m = s == null ? null : s.active;
        return m == null ? java.util.Optional.empty() : java.util.Optional.of(m.descriptor().version().toString());
    }

    /** The class loader of the version serving {@code id}; for tests of class-loader release. */
    java.util.Optional<ClassLoader> activeLoader(String id) {
        Slot s = slots.get(id);
        LoadedModule m = s == null ? null : s.active;
        return m == null ? java.util.Optional.empty() : java.util.Optional.of(m.loader());
    }

    // ---------------------------------------------------------------------------------------------
    // Routing

    private void activate(Slot slot, LoadedModule next) {
        LoadedModule old = slot.active;
        slot.active = next;
        slot.state = "active";
        slot.lastError = null;
        String id = next.descriptor().id();
        Map<String, ActionHandler> routed = new HashMap<>();
        for (String action : next.actions().keySet()) {
            routed.put(action, command -> route(id, action, command));
        }
        registry.register(new ActionRegistry.ModuleActions(id, next.descriptor().version().toString(), routed));
        if (old != null) {
            retire(old);
        }
    }

    private void deactivate(Slot slot, String state) {
        LoadedModule old = slot.active;
        registry.unregister(slot.record.id());
        slot.active = null;
        slot.state = state;
        if (old != null) {
            retire(old);
        }
    }

    /** Lets the commands running on {@code old} finish (bounded), then stops it and releases its loader. */
    private void retire(LoadedModule old) {
        old.retire();
        try {
            if (!old.awaitIdle(settings.drainTimeout())) {
                LOG.warn("Module {}: {} command(s) still running after {} s; stopping it anyway (they end with an error)",
                        old.label(), old.inFlight(), settings.drainTimeout().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loader.unload(old);
        deleteTree(old.directory());
    }

    private com.cloudextender.api.CommandResult route(String id, String action, com.cloudextender.api.Command command)
            throws Exception {
        // A command that picked a version just as it was retired is sent to the version serving now.
        for (int attempt = 0; attempt < 1000; attempt++) {
            Slot slot = slots.get(id);
            LoadedModule m = slot == null ? null : slot.active;
            if (m == null) {
                throw new CommandException(ErrorCode.UNKNOWN_MODULE, "module '" + id + "' is not active on this extender"
                        + (slot == null ? "" : " (" + slot.state + ")"));
            }
            if (m.enter()) {
                long start = System.nanoTime();
                try {
                    return m.execute(action, command);
                } finally {
                    m.exit();
                    m.context().meters().time("action." + action, Duration.ofNanos(System.nanoTime() - start));
                }
            }
            Thread.onSpinWait();
        }
        throw new CommandException(ErrorCode.MODULE_FAILURE, "module '" + id + "' is being replaced; retry");
    }

    // ---------------------------------------------------------------------------------------------
    // Packages, configuration, folders

    private void requirePublishers() throws ModuleFailure {
        if (publisherProblem != null) {
            throw new ModuleFailure("modules cannot be verified: " + publisherProblem);
        }
    }

    /** Verifies {@code file} with its signer's validity checked as of {@code at}. */
    private VerifiedPackage verify(Path file, Path target, java.time.Instant at) throws ModuleFailure {
        return verify(file, target, at, "package " + file.getFileName());
    }

    private VerifiedPackage verify(Path file, Path target, java.time.Instant at, String source) throws ModuleFailure {
        requirePublishers();
        try {
            return verifier.verifyAndExtract(file, target, at, source);
        } catch (ModulePackageException e) {
            deleteTree(target);
            throw new ModuleFailure("package refused: " + e.getMessage(), e);
        }
    }

    private VerifiedPackage verifyStored(String packageFile, String sha256, String id, java.time.Instant verifiedAt)
            throws ModuleFailure {
        return verifyStored(packageFile, sha256, id, verifiedAt, nextRunFolder(id));
    }

    /** Re-verifies an installed package as of the time it was first verified (its signer may have expired since). */
    private VerifiedPackage verifyStored(String packageFile, String sha256, String id, java.time.Instant verifiedAt,
            Path target) throws ModuleFailure {
        Path file = packages.resolve(packageFile);
        if (!Files.isRegularFile(file)) {
            throw new ModuleFailure("the package file " + file + " of module " + id + " is missing");
        }
        VerifiedPackage pkg = verify(file, target, verifiedAt);
        if (!pkg.sha256().equalsIgnoreCase(sha256) || !pkg.descriptor().id().equals(id)) {
            deleteTree(target);
            throw new ModuleFailure("the package file " + file + " was replaced since module " + id
                    + " was installed (its SHA-256 changed); it is not loaded");
        }
        return pkg;
    }

    private LoadedModule loadExtracted(VerifiedPackage pkg, Map<String, String> cloud) throws ModuleFailure {
        try {
            ModuleConfig config = moduleConfig(pkg.descriptor(), cloud);
            return loader.load(pkg, config);
        } catch (ModuleFailure | RuntimeException e) {
            deleteTree(pkg.directory());
            throw e;
        }
    }

    /** The cloud's configuration with the administrator's overrides applied, validated against the descriptor. */
    private ModuleConfig moduleConfig(ModuleDescriptor d, Map<String, String> cloud) throws ModuleFailure {
        Map<String, String> merged = new HashMap<>(cloud);
        merged.putAll(overrides(d));
        Map<String, String> complete = validated(d, merged);
        Set<String> secretKeys = new HashSet<>();
        for (String key : complete.keySet()) {
            if (d.configKey(key).map(ConfigKey::secret).orElse(false)) {
                secretKeys.add(key);
            }
        }
        return new ModuleConfig(complete, secretKeys);
    }

    private Map<String, String> validated(ModuleDescriptor d, Map<String, String> config) throws ModuleFailure {
        try {
            return d.validateConfig(config);
        } catch (ModulePackageException e) {
            throw new ModuleFailure("configuration of module " + d.id() + " refused: " + e.getMessage(), e);
        }
    }

    private Map<String, String> overrides(ModuleDescriptor d) throws ModuleFailure {
        Path file = settings.overrides().resolve(d.id() + ".properties");
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            ConfigLoader.sealClearSecrets(file, secrets, key -> d.configKey(key).map(ConfigKey::secret).orElse(false));
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            Map<String, String> m = new HashMap<>();
            for (String key : p.stringPropertyNames()) {
                m.put(key, secrets.open(file.getFileName().toString(), key, p.getProperty(key).trim()));
            }
            return m;
        } catch (IOException | ConfigException e) {
            throw new ModuleFailure("local settings " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> sealConfig(ModuleDescriptor d, Map<String, String> config) {
        Map<String, String> out = new TreeMap<>();
        config.forEach((k, v) -> out.put(k, d.configKey(k).map(ConfigKey::secret).orElse(false) && !SecretBox.isSealed(v)
                ? secrets.seal(k, v) : v));
        return out;
    }

    private Map<String, String> cloudConfig(InstalledModule rec) throws ModuleFailure {
        return openConfig(rec.config());
    }

    private Map<String, String> openConfig(Map<String, String> sealed) throws ModuleFailure {
        Map<String, String> out = new HashMap<>();
        try {
            sealed.forEach((k, v) -> out.put(k, secrets.open("module setting", k, v)));
        } catch (ConfigException e) {
            throw new ModuleFailure(e.getMessage()
                    + " (the module's configuration was sealed on another machine; send it again from the cloud)", e);
        }
        return out;
    }

    private String storePackage(Path file, ModuleDescriptor d) throws ModuleFailure {
        String name = d.id() + "-" + d.version() + ".cxm";
        Path target = packages.resolve(name);
        try {
            Files.createDirectories(packages);
            if (file.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
                return name;
            }
            Path tmp = packages.resolve(name + ".tmp");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return name;
        } catch (IOException e) {
            throw new ModuleFailure("cannot store the package of module " + d.id() + " in " + packages + ": "
                    + e.getMessage(), e);
        }
    }

    private void deletePackageUnlessUsed(String name, InstalledModule current) {
        if (current != null && (name.equals(current.packageFile())
                || current.pending() != null && name.equals(current.pending().packageFile()))) {
            return;
        }
        try {
            Files.deleteIfExists(packages.resolve(name));
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", name, e.toString());
        }
    }

    private void removeOrphanPackages() {
        if (!Files.isDirectory(packages)) {
            return;
        }
        Set<String> used = new HashSet<>();
        slots.values().forEach(s -> {
            used.add(s.record.packageFile());
            if (s.record.pending() != null) {
                used.add(s.record.pending().packageFile());
            }
        });
        try (Stream<Path> files = Files.list(packages)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!used.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p); // left by a crash between storing a package and recording it
                }
            }
        } catch (IOException e) {
            LOG.debug("could not tidy {}: {}", packages, e.toString());
        }
    }

    private Slot existing(String id) throws ModuleFailure {
        Slot s = slots.get(id);
        if (s == null) {
            throw new ModuleFailure("no module '" + id + "' is installed; installed: "
                    + String.join(", ", new java.util.TreeSet<>(slots.keySet())));
        }
        return s;
    }

    private Path nextRunFolder(String label) {
        return run.resolve(label + "-" + runSeq.incrementAndGet());
    }

    private Path workDir(String id) {
        Path dir = work.resolve(id);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the work folder " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Why upgrades must wait now (window or deferral), or {@code null} when they may run. */
    private String updateWait() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.systemDefault()));
        if (settings.deferUntil().isPresent() && !now.toLocalDate().isAfter(settings.deferUntil().get())) {
            return "upgrades are deferred until " + settings.deferUntil().get() + " (modules.deferUpdatesUntil)";
        }
        if (settings.updateWindow().isPresent() && !settings.updateWindow().get().contains(now.toLocalTime())) {
            ExtenderConfig.UpdateWindow w = settings.updateWindow().get();
            LocalDate day = now.toLocalTime().isBefore(w.from()) ? now.toLocalDate() : now.toLocalDate().plusDays(1);
            return "upgrades wait for the update window " + w + " (modules.updateWindow), next at "
                    + LocalDateTime.of(day, w.from());
        }
        return null;
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString()); // on Windows a jar may still be open; next start
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops every module (bounded each), then the module threads. */
    @Override
    public void close() {
        operations.lock();
        try {
            for (Slot s : slots.values()) {
                LoadedModule m = s.active;
                if (m != null) {
                    registry.unregister(s.record.id());
                    s.active = null;
                    m.retire();
                    loader.unload(m);
                }
            }
            timer.shutdownNow();
            taskRunner.shutdownNow();
            try {
                taskRunner.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            operations.unlock();
        }
    }
}
