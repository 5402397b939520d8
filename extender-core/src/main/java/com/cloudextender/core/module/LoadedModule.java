package com.cloudextender.core.module;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.core.module.pack.ModuleDescriptor;

/**
 * One started module version: its class loader, entry object, context and actions, and the count of
 * commands running on it. Retiring it makes {@link #enter()} fail from then on, so that a command that
 * raced with a swap is sent to the new version instead of to one that is stopping.
 */
final class LoadedModule {
    private final ModuleDescriptor descriptor;
    private final Path directory;
    private final ModuleClassLoader loader;
    private final ExtenderModule instance;
    private final HostContext context;
    private final Map<String, ActionHandler> actions;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;

    LoadedModule(ModuleDescriptor descriptor, Path directory, ModuleClassLoader loader, ExtenderModule instance,
            HostContext context, Map<String, ActionHandler> actions) {
        this.descriptor = descriptor;
        this.directory = directory;
        this.loader = loader;
        this.instance = instance;
        this.context = context;
        this.actions = Map.copyOf(actions);
    }

    ModuleDescriptor descriptor() {
        return descriptor;
    }

    String label() {
        return descriptor.id() + " " + descriptor.version();
    }

    Map<String, ActionHandler> actions() {
        return actions;
    }

    ModuleClassLoader loader() {
        return loader;
    }

    Path directory() {
        return directory;
    }

    HostContext context() {
        return context;
    }

    ExtenderModule instance() {
        return instance;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Counts a command in; false when this version is retired (the caller routes to the current one). */
    boolean enter() {
        inFlight.incrementAndGet();
        if (retired) {
            exit();
            return false;
        }
        return true;
    }

    void exit() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Runs {@code action} with this module's class loader; anything the module throws is contained. */
    CommandResult execute(String action, Command command) throws Exception {
        ActionHandler handler = actions.get(action);
        if (handler == null) {
            throw new CommandException(ErrorCode.UNKNOWN_ACTION, "module '" + descriptor.id() + "' " + descriptor.version()
                    + " has no action '" + action + "'; it offers: " + String.join(", ", new java.util.TreeSet<>(
                            actions.keySet())));
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return handler.execute(command);
        } catch (Exception e) {
            throw e;
        } catch (Throwable e) {
            // An Error from module code (StackOverflowError, NoClassDefFoundError…) ends this command only.
            throw new CommandException(ErrorCode.MODULE_FAILURE, label() + " failed in " + action + ": " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Stops new commands from entering; those running go on. */
    void retire() {
        retired = true;
    }

    /** Waits until no command runs on this version; false when {@code limit} passed first. */
    boolean awaitIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (inFlight.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Releases the class loader's jar files; the loader itself is collected once nothing refers to it. */
    void closeLoader() throws IOException {
        loader.close();
    }
}
