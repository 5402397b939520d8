package com.cloudextender.core.command;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.outbox.Outbox;
import com.cloudextender.core.outbox.OutboxEntry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Admits commands (validation, de-duplication, queue limit) on the caller's thread and runs them on a
 * bounded worker pool, each under its time limit. Every admitted command ends in exactly one result in
 * the {@link Outbox}.
 */
public final class CommandDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final int MAX_ID_LENGTH = 128;

    private final ActionRegistry registry;
    private final Outbox outbox;
    private final ExtenderConfig.Commands limits;
    private final CommandCounters counters;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService watchdog;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json = new ObjectMapper();

    public CommandDispatcher(ActionRegistry registry, Outbox outbox, ExtenderConfig.Commands limits,
            CommandCounters counters, Clock clock) {
        this.registry = registry;
        this.outbox = outbox;
        this.limits = limits;
        this.counters = counters;
        this.clock = clock;
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), named("command-worker"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("command-watchdog"));
    }

    /**
     * Decides at once whether {@code id/module/action} is accepted. Cheap and non-blocking: it runs on
     * the connection's thread.
     *
     * @param timeoutMillis the cloud's time limit, {@code null} for the default
     * @param replyTo       where the result goes
     */
    public Admission admit(String id, String module, String action, Long timeoutMillis, String arguments,
            String replyTo) {
        counters.received();
        String problem = malformed(id, module, action, timeoutMillis);
        if (problem != null) {
            return refuse(ErrorCode.MALFORMED, problem);
        }
        String args = arguments == null ? "" : arguments;
        if (tooLarge(args)) {
            return refuse(ErrorCode.TOO_LARGE, "arguments of command " + id + " exceed the limit of "
                    + limits.maxArgumentBytes() + " bytes (commands.maxArgumentBytes)");
        }
        if (!active.add(id)) {
            return new Admission.Accepted("running");
        }
        if (outbox.find(id).isPresent()) {
            active.remove(id);
            outbox.resend(id);
            return new Admission.Accepted("done");
        }
        Duration timeout = timeoutMillis == null ? limits.timeout() : Duration.ofMillis(timeoutMillis);
        Command command = new Command(id, module, action, args.isBlank() ? "{}" : args, timeout);
        try {
            workers.execute(() -> run(command, replyTo));
        } catch (RejectedExecutionException e) {
            active.remove(id);
            return refuse(ErrorCode.BUSY, "the extender is busy: " + limits.queue() + " commands are waiting "
                    + "(commands.queue); retry later or on another extender");
        }
        return new Admission.Accepted("queued");
    }

    private Admission refuse(ErrorCode code, String reason) {
        counters.refused();
        return new Admission.Refused(code, reason);
    }

    private static String malformed(String id, String module, String action, Long timeoutMillis) {
        if (id == null || id.isBlank()) {
            return "command has no 'id' attribute";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "command id is longer than " + MAX_ID_LENGTH + " characters";
        }
        if (module == null || module.isBlank()) {
            return "command " + id + " has no 'module' attribute";
        }
        if (action == null || action.isBlank()) {
            return "command " + id + " has no 'action' attribute";
        }
        if (timeoutMillis != null && timeoutMillis <= 0) {
            return "command " + id + " has a 'timeout-ms' that is not a positive number";
        }
        return null;
    }

    private boolean tooLarge(String args) {
        // Each char is at most 3 UTF-8 bytes: skip the exact count when clearly under the limit.
        return (long) args.length() * 3 > limits.maxArgumentBytes()
                && args.getBytes(StandardCharsets.UTF_8).length > limits.maxArgumentBytes();
    }

    private void run(Command command, String replyTo) {
        long start = System.nanoTime();
        counters.started();
        AtomicBoolean finished = new AtomicBoolean();
        Thread worker = Thread.currentThread();
        ScheduledFuture<?> deadline = watchdog.schedule(() -> {
            if (finished.compareAndSet(false, true)) {
                finish(command, replyTo, CommandResult.error(ErrorCode.TIMEOUT, "command " + command.id() + " ("
                        + command.module() + "/" + command.action() + ") did not finish within "
                        + command.timeout().toMillis() + " ms and was cancelled"), start, true);
                worker.interrupt();
            }
        }, command.timeout().toNanos(), TimeUnit.NANOSECONDS);
        CommandResult result = execute(command);
        deadline.cancel(false);
        if (finished.compareAndSet(false, true)) {
            finish(command, replyTo, result, start, false);
        }
        Thread.interrupted(); // the watchdog may have interrupted us; never leak that into the next command
    }

    private CommandResult execute(Command command) {
        try {
            JsonNode args = json.readTree(command.arguments());
            if (args == null || !args.isObject()) {
                return CommandResult.error(ErrorCode.INVALID_ARGUMENTS, "arguments of command " + command.id()
                        + " must be a JSON object");
            }
        } catch (JsonProcessingException e) {
            return CommandResult.error(ErrorCode.INVALID_ARGUMENTS, "arguments of command " + command.id()
                    + " are not valid JSON: " + e.getOriginalMessage());
        }
        ActionRegistry.ModuleActions module = registry.module(command.module()).orElse(null);
        if (module == null) {
            return CommandResult.error(ErrorCode.UNKNOWN_MODULE, "no module '" + command.module()
                    + "' is installed; installed: " + String.join(", ",
                            registry.installed().stream().map(ActionRegistry.ModuleInfo::id).toList()));
        }
        ActionHandler handler = module.actions().get(command.action());
        if (handler == null) {
            return CommandResult.error(ErrorCode.UNKNOWN_ACTION, "module '" + command.module() + "' has no action '"
                    + command.action() + "'; it offers: " + String.join(", ", new java.util.TreeSet<>(
                            module.actions().keySet())));
        }
        try {
            CommandResult r = handler.execute(command);
            return r == null ? CommandResult.error(ErrorCode.MODULE_FAILURE, command.module() + "/"
                    + command.action() + " returned no result") : r;
        } catch (CommandException e) {
            return CommandResult.error(e.code(), e.getMessage());
        } catch (InterruptedException e) {
            return CommandResult.error(ErrorCode.TIMEOUT, "command " + command.id() + " was interrupted");
        } catch (Exception | LinkageError e) {
            LOG.warn("Command {} ({}/{}) failed: {}", command.id(), command.module(), command.action(), e.toString());
            return CommandResult.error(ErrorCode.MODULE_FAILURE, command.module() + "/" + command.action()
                    + " failed: " + e);
        }
    }

    private void finish(Command command, String replyTo, CommandResult result, long startNanos, boolean timeout) {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        counters.finished(result.isOk(), timeout, elapsed);
        String code = result.errorCode() == null ? null : result.errorCode().name();
        outbox.submit(new OutboxEntry(command.id(), command.module(), command.action(), replyTo, code,
                result.payload(), elapsed, clock.millis(), 0));
        active.remove(command.id());
    }

    /** Commands waiting for a worker. */
    public int queued() {
        return workers.getQueue().size();
    }

    public int poolSize() {
        return limits.workers();
    }

    /**
     * Stops taking commands and waits up to {@code grace} for the running ones to finish; those still
     * running then are interrupted (their time-limit results are written).
     */
    public void drain(Duration grace) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} command(s) still running after {} s; interrupting them", active.size(),
                        grace.toSeconds());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    @Override
    public void close() {
        drain(Duration.ofSeconds(5));
        watchdog.shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
