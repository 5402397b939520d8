package com.cloudextender.core.command;

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
import com.cloudextender.core.protocol.WireText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Admits commands (validation, de-duplication, queue limits) on the caller's thread and runs them on a
 * bounded worker pool, each under its time limit. Every admitted command ends in exactly one result in
 * the {@link Outbox}.
 *
 * <p>Two limits protect the memory: the number of waiting commands ({@code commands.queue}) and the
 * bytes of the arguments of all admitted, unfinished commands ({@code commands.queueBytes}); beyond
 * either, a command is refused as {@code BUSY}. Everything logged from a command goes through
 * {@link WireText}, because the sender chose it.
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
    private final ByteBudget argumentBytes;
    private final ObjectMapper json = new ObjectMapper();

    public CommandDispatcher(ActionRegistry registry, Outbox outbox, ExtenderConfig.Commands limits,
            CommandCounters counters, Clock clock) {
        this.registry = registry;
        this.outbox = outbox;
        this.limits = limits;
        this.counters = counters;
        this.clock = clock;
        this.argumentBytes = new ByteBudget(limits.queueBytes());
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), named("command-worker"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("command-watchdog"));
    }

    /**
     * Decides at once whether {@code id/module/action} is accepted. Cheap and non-blocking: it runs on
     * the connection's thread.
     *
     * @param timeoutMillis the cloud's time limit, {@code null} for the default; cut to
     *                      {@code commands.maxTimeout}
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
        long bytes = utf8Length(args);
        if (bytes > limits.maxArgumentBytes()) {
            return refuse(ErrorCode.TOO_LARGE, "arguments of command " + WireText.of(id) + " exceed the limit of "
                    + limits.maxArgumentBytes() + " bytes (commands.maxArgumentBytes)");
        }
        if (!active.add(id)) {
            return new Admission.Accepted("running");
        }
        boolean done;
        try {
            done = outbox.find(id).isPresent();
        } catch (RuntimeException e) {
            active.remove(id); // else a redelivery of this id would be answered 'running' forever
            throw e;
        }
        if (done) {
            active.remove(id);
            outbox.resend(id);
            return new Admission.Accepted("done");
        }
        if (!argumentBytes.tryReserve(bytes)) {
            active.remove(id);
            return refuse(ErrorCode.BUSY, "the extender is busy: the arguments of the commands it has accepted and "
                    + "not finished take " + argumentBytes.used() + " of " + argumentBytes.limit() + " bytes "
                    + "(commands.queueBytes); retry later or on another extender");
        }
        Command command = new Command(id, module, action, args.isBlank() ? "{}" : args, timeout(timeoutMillis));
        try {
            workers.execute(() -> run(command, replyTo, bytes));
        } catch (RejectedExecutionException e) {
            active.remove(id);
            argumentBytes.release(bytes);
            return refuse(ErrorCode.BUSY, "the extender is busy: " + limits.queue() + " commands are waiting "
                    + "(commands.queue); retry later or on another extender");
        }
        return new Admission.Accepted("queued");
    }

    /** The cloud's limit, cut to {@code commands.maxTimeout}: no limit may outlast the extender's own bound. */
    private Duration timeout(Long timeoutMillis) {
        if (timeoutMillis == null) {
            return limits.timeout();
        }
        long max = limits.maxTimeout().toMillis();
        return Duration.ofMillis(Math.min(timeoutMillis, max));
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
            return "command " + WireText.of(id) + " has no 'module' attribute";
        }
        if (action == null || action.isBlank()) {
            return "command " + WireText.of(id) + " has no 'action' attribute";
        }
        if (timeoutMillis != null && timeoutMillis <= 0) {
            return "command " + WireText.of(id) + " has a 'timeout-ms' that is not a positive whole number "
                    + "(ASCII digits only)";
        }
        return null;
    }

    /** Bytes of {@code s} in UTF-8, counted without encoding it. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3; // a lone surrogate is written as '?' (1 byte); counting 3 errs on the safe side
            }
        }
        return n;
    }

    /**
     * Runs {@code command} on this worker under its time limit. Whatever happens (result, exception, time
     * limit), exactly one result is written, and the command's argument bytes are released when this
     * worker is done with it, which is when the memory is really free.
     */
    private void run(Command command, String replyTo, long bytes) {
        long start = System.nanoTime();
        counters.started();
        CommandRun run = new CommandRun();
        ScheduledFuture<?> deadline = null;
        CommandResult result = null;
        try {
            deadline = watchdog.schedule(() -> expire(command, replyTo, run, start), command.timeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            result = execute(command);
        } finally {
            run.leave(); // from here on the watchdog cannot interrupt this thread, which may run the next command
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (run.claimResult()) {
                finish(command, replyTo, result != null ? result : CommandResult.error(ErrorCode.MODULE_FAILURE,
                        command.module() + "/" + command.action() + " ended without a result"), start, false);
            }
            argumentBytes.release(bytes);
        }
    }

    /** The watchdog, at the time limit: writes the TIMEOUT result and interrupts the run it belongs to. */
    private void expire(Command command, String replyTo, CommandRun run, long start) {
        if (run.claimResult()) {
            run.interrupt();
            finish(command, replyTo, CommandResult.error(ErrorCode.TIMEOUT, "command " + WireText.of(command.id())
                    + " (" + command.module() + "/" + command.action() + ") did not finish within "
                    + command.timeout().toMillis() + " ms and was cancelled"), start, true);
        }
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
            return CommandResult.error(ErrorCode.TIMEOUT, "command " + WireText.of(command.id()) + " was interrupted");
        } catch (Exception | LinkageError e) {
            LOG.warn("Command {} ({}/{}) failed: {}", WireText.of(command.id()), WireText.of(command.module()),
                    WireText.of(command.action()), WireText.of(e, 512));
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

    /** Bytes of the arguments of the admitted commands that have not finished (see {@code commands.queueBytes}). */
    public long queuedArgumentBytes() {
        return argumentBytes.used();
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
