package com.cloudextender.devcloud.features;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.CommandOutcome;
import com.cloudextender.devcloud.modules.ModuleEntry;
import com.cloudextender.devcloud.modules.ModuleRepository;
import com.cloudextender.core.module.pack.ModuleVersion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Brings each connected extender's modules in line with its customer's features, by sending it
 * {@code modules} commands:
 * <ul>
 * <li>{@code install} {@code {"url","sha256","id","config"}} when an enabled module is missing or runs
 * another version than the newest one the extender's release channel accepts, and no upgrade to it is
 * scheduled ({@code "pendingVersion"}): an upgrade, or a downgrade (with {@code "allowDowngrade":true})
 * when the extender left the pre-release channel;</li>
 * <li>{@code configure} {@code {"id","config"}} when the module runs the right version but with another
 * configuration than the feature's;</li>
 * <li>{@code remove} {@code {"id"}} when the extender runs a module that is published in the repository
 * but is not enabled for its customer.</li>
 * </ul>
 *
 * <p>What an extender runs comes from its health reports, updated by the outcomes of the commands sent
 * since (a report may predate them). Nothing is sent to an extender before its first report on the
 * current session. At most one command per extender and module is outstanding: the next step, if any,
 * is worked out when it ends. A step that failed is not tried again on the same session; a reconnect
 * tries again. The configuration an extender runs is known only from what this cloud sent; a module
 * found at the right version with no such knowledge is taken to run the feature's current configuration.
 *
 * <p>Thread-safe. Commands are sent outside the lock.
 */
public final class ModuleRollout implements AutoCloseable {
    /** The module that installs, configures and removes modules on the extender. */
    public static final String COMMAND_MODULE = "modules";
    /** An install downloads and verifies a package; it gets longer than other commands. */
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    static final Duration OTHER_TIMEOUT = Duration.ofMinutes(1);
    /** Modules the extender always has: never removed, whatever the repository holds. */
    private static final Set<String> BUILT_IN = Set.of("core", COMMAND_MODULE);

    private static final Logger LOG = LoggerFactory.getLogger(ModuleRollout.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends a {@code modules} command to one extender. */
    @FunctionalInterface
    public interface CommandSender {
        CompletableFuture<CommandOutcome> send(String extenderId, String action, String argumentsJson,
                Duration timeout);
    }

    private final ModuleRepository repository;
    private final FeatureStore features;
    private final Function<String, Optional<String>> customerOf;
    private final Supplier<URI> apiUrl;
    private final CommandSender sender;
    private final Object lock = new Object();
    private final Map<String, ExtenderModules> extenders = new HashMap<>();
    private boolean closed;

    /** The rollout's view of one extender. */
    private static final class ExtenderModules {
        boolean connected;
        /** From the last health report of the current session; null before it. */
        HealthModules health;
        /** module id → version it runs: the last report, updated by successful commands since. */
        final Map<String, String> versions = new HashMap<>();
        /** module id → version of an upgrade scheduled for its update window, from the last report. */
        final Map<String, String> pending = new HashMap<>();
        /** module id → the configuration it runs, as far as this cloud knows. Survives reconnects. */
        final Map<String, Map<String, String>> configs = new HashMap<>();
        final Map<String, RolloutStep> outstanding = new HashMap<>();
        /** Steps that failed on the current session. */
        final Set<RolloutStep> failed = new HashSet<>();
        /** module id → how its last step ended since its feature last changed, with the extender's message. */
        final Map<String, Push> ended = new HashMap<>();
    }

    /**
     * Where one extender stands with one feature, for the console and {@code dev-cloud feature}.
     *
     * @param extenderId the extender
     * @param state      {@code pending} (a step was sent), {@code waiting} (connected, no health report yet),
     *                   {@code offline} (it gets the feature when it connects), {@code done}, {@code failed}, or
     *                   {@code unchanged} (nothing to do: it already runs what the feature asks)
     * @param action     the step sent ({@code install}, {@code configure}, {@code remove}), or null
     * @param message    the extender's message about the outcome, or null
     */
    public record Push(String extenderId, String state, String action, String message) {
        /** True while the outcome is not known yet. */
        public boolean open() {
            return state.equals("pending") || state.equals("waiting");
        }
    }

    /**
     * @param customerOf the customer of an extender id
     * @param apiUrl the API's base URL, for download URLs ({@code <apiUrl>/modules/<file>})
     */
    public ModuleRollout(ModuleRepository repository, FeatureStore features,
            Function<String, Optional<String>> customerOf, Supplier<URI> apiUrl, CommandSender sender) {
        this.repository = repository;
        this.features = features;
        this.customerOf = customerOf;
        this.apiUrl = apiUrl;
        this.sender = sender;
    }

    /** A new session: wait for its health report; steps that failed before may be tried again. */
    public void onConnected(String extenderId) {
        synchronized (lock) {
            ExtenderModules e = extenders.computeIfAbsent(extenderId, k -> new ExtenderModules());
            e.connected = true;
            e.health = null;
            e.failed.clear();
        }
    }

    public void onDisconnected(String extenderId) {
        synchronized (lock) {
            ExtenderModules e = extenders.get(extenderId);
            if (e != null) {
                e.connected = false;
                e.health = null;
            }
        }
    }

    /** A health report arrived: its modules replace what the cloud believed, then the extender is brought in line. */
    public void onHealth(String extenderId, String reportJson) {
        Optional<HealthModules> report = HealthModules.parse(reportJson);
        if (report.isEmpty()) {
            return;
        }
        synchronized (lock) {
            ExtenderModules e = extenders.computeIfAbsent(extenderId, k -> new ExtenderModules());
            e.connected = true;
            e.health = report.get();
            e.versions.clear();
            e.versions.putAll(report.get().versions());
            e.pending.clear();
            e.pending.putAll(report.get().pendingVersions());
            e.configs.keySet().retainAll(e.versions.keySet());
        }
        reconcile(List.of(extenderId));
    }

    /**
     * The customer's feature {@code moduleId} changed: earlier outcomes of its steps are forgotten (so
     * that {@link #pushes} reports this change's), then its connected extenders are brought in line.
     */
    public void onFeatureChanged(String customer, String moduleId) {
        synchronized (lock) {
            extenders.forEach((id, e) -> {
                if (customerOf.apply(id).map(customer::equals).orElse(false)) {
                    e.ended.remove(moduleId);
                }
            });
        }
        onFeaturesChanged(customer);
    }

    /** Where each extender of {@code customer} that this cloud has seen stands with {@code moduleId}, by id. */
    public List<Push> pushes(String customer, String moduleId) {
        List<Push> out = new ArrayList<>();
        synchronized (lock) {
            new java.util.TreeMap<>(extenders).forEach((id, e) -> {
                if (!customerOf.apply(id).map(customer::equals).orElse(false)) {
                    return;
                }
                RolloutStep step = e.outstanding.get(moduleId);
                Push ended = e.ended.get(moduleId);
                if (step != null) {
                    out.add(new Push(id, "pending", step.action(), null));
                } else if (ended != null) {
                    out.add(ended);
                } else if (!e.connected) {
                    out.add(new Push(id, "offline", null, null));
                } else if (e.health == null) {
                    out.add(new Push(id, "waiting", null, null));
                } else {
                    out.add(new Push(id, "unchanged", null, null));
                }
            });
        }
        return out;
    }

    /** The customer's features changed: its connected extenders are brought in line. */
    public void onFeaturesChanged(String customer) {
        List<String> ids = new ArrayList<>();
        synchronized (lock) {
            extenders.forEach((id, e) -> {
                if (e.connected && customerOf.apply(id).map(customer::equals).orElse(false)) {
                    ids.add(id);
                }
            });
        }
        reconcile(ids);
    }

    /** A package was published: every connected extender that should run it gets it. */
    public void onPublished() {
        List<String> ids;
        synchronized (lock) {
            ids = new ArrayList<>(extenders.keySet());
        }
        reconcile(ids);
    }

    /** Stops sending: outcomes that arrive later (the router cancels pending commands) start nothing new. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    private void reconcile(List<String> extenderIds) {
        List<Map.Entry<String, RolloutStep>> toSend = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (String id : extenderIds) {
                ExtenderModules e = extenders.get(id);
                Optional<String> customer = customerOf.apply(id);
                if (e == null || !e.connected || e.health == null || customer.isEmpty()) {
                    continue;
                }
                for (RolloutStep step : steps(e, customer.get())) {
                    e.outstanding.put(step.moduleId(), step);
                    toSend.add(Map.entry(id, step));
                }
            }
        }
        toSend.forEach(s -> send(s.getKey(), s.getValue()));
    }

    /** The steps that bring {@code e} in line with {@code customer}'s features; under the lock. */
    private List<RolloutStep> steps(ExtenderModules e, String customer) {
        List<RolloutStep> steps = new ArrayList<>();
        for (Feature feature : features.of(customer)) {
            String id = feature.moduleId();
            Optional<ModuleEntry> target = repository.newest(id, e.health.accepted());
            if (e.outstanding.containsKey(id) || target.isEmpty()) {
                continue;
            }
            String wanted = target.get().version().toString();
            if (wanted.equals(e.pending.get(id))) {
                continue; // the extender applies it in its update window
            }
            RolloutStep step;
            if (!wanted.equals(e.versions.get(id))) {
                step = RolloutStep.install(target.get(), feature.config(), isOlder(target.get(), e.versions.get(id)));
            } else {
                Map<String, String> running = e.configs.computeIfAbsent(id, k -> feature.config());
                if (running.equals(feature.config())) {
                    continue;
                }
                step = RolloutStep.configure(id, feature.config());
            }
            if (!e.failed.contains(step)) {
                steps.add(step);
            }
        }
        for (String id : e.versions.keySet()) {
            if (!BUILT_IN.contains(id) && !e.outstanding.containsKey(id) && features.find(customer, id).isEmpty()
                    && repository.knows(id) && !e.failed.contains(RolloutStep.remove(id))) {
                steps.add(RolloutStep.remove(id));
            }
        }
        return steps;
    }

    private static boolean isOlder(ModuleEntry target, String running) {
        try {
            return running != null && target.version().compareTo(ModuleVersion.parse(running)) < 0;
        } catch (IllegalArgumentException e) {
            return false; // not a version the cloud can compare: the extender decides
        }
    }

    private void send(String extenderId, RolloutStep step) {
        LOG.info("Sending {}/{} to {}", COMMAND_MODULE, step, extenderId);
        Duration timeout = RolloutStep.INSTALL.equals(step.action()) ? INSTALL_TIMEOUT : OTHER_TIMEOUT;
        CompletableFuture<CommandOutcome> outcome;
        try {
            outcome = sender.send(extenderId, step.action(), arguments(step), timeout);
        } catch (RuntimeException ex) {
            outcome = CompletableFuture.failedFuture(ex);
        }
        outcome.whenComplete((o, failure) -> ended(extenderId, step, o, failure));
    }

    private String arguments(RolloutStep step) {
        ObjectNode args = JSON.createObjectNode();
        if (RolloutStep.INSTALL.equals(step.action())) {
            args.put("url", apiUrl.get() + "/modules/" + step.entry().file());
            args.put("sha256", step.entry().sha256());
            args.put("id", step.moduleId()); // the extender checks that the package is this module
            if (step.downgrade()) {
                args.put("allowDowngrade", true);
            }
        } else {
            args.put("id", step.moduleId());
        }
        if (!RolloutStep.REMOVE.equals(step.action())) {
            ObjectNode config = args.putObject("config");
            step.config().forEach(config::put);
        }
        return args.toString();
    }

    private void ended(String extenderId, RolloutStep step, CommandOutcome outcome, Throwable failure) {
        boolean ok = failure == null && outcome.isOk();
        synchronized (lock) {
            ExtenderModules e = extenders.get(extenderId);
            if (closed || e == null || !step.equals(e.outstanding.get(step.moduleId()))) {
                return;
            }
            e.outstanding.remove(step.moduleId());
            if (ok) {
                applied(e, step);
            } else {
                e.failed.add(step);
            }
            e.ended.put(step.moduleId(), new Push(extenderId, ok ? "done" : "failed", step.action(),
                    message(outcome, failure)));
        }
        if (ok) {
            LOG.info("{} completed {}/{}: {}", extenderId, COMMAND_MODULE, step, message(outcome, null));
        } else {
            LOG.warn("{} did not complete {}/{}: {}; it is tried again when the extender reconnects", extenderId,
                    COMMAND_MODULE, step, message(outcome, failure));
        }
        reconcile(List.of(extenderId));
    }

    /** The error code and the extender's message ({@code "message"} of the payload), or the local failure. */
    static String message(CommandOutcome outcome, Throwable failure) {
        if (failure != null) {
            return failure.toString();
        }
        String text = null;
        try {
            JsonNode payload = outcome.payload() == null ? null : JSON.readTree(outcome.payload());
            text = payload == null || !payload.path("message").isTextual() ? null : payload.get("message").asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            text = outcome.payload();
        }
        if (outcome.isOk()) {
            return text;
        }
        return outcome.errorCode() + (text == null ? "" : ": " + text);
    }

    private static void applied(ExtenderModules e, RolloutStep step) {
        switch (step.action()) {
            case RolloutStep.INSTALL -> {
                e.versions.put(step.moduleId(), step.entry().version().toString());
                e.configs.put(step.moduleId(), step.config());
            }
            case RolloutStep.CONFIGURE -> e.configs.put(step.moduleId(), step.config());
            default -> {
                e.versions.remove(step.moduleId());
                e.configs.remove(step.moduleId());
            }
        }
    }
}
