package com.cloudextender.api;

import java.util.Map;

/**
 * The entry point of a module: one class per module package, named by {@code main.class} in the
 * package descriptor, with a public no-argument constructor.
 *
 * <p>Life cycle, all calls on one lifecycle thread of the host, never concurrently:
 * <ol>
 *   <li>the constructor, with the module's own class loader as the thread's context class loader;</li>
 *   <li>{@link #start(ModuleContext)}: open connections, schedule periodic work. Throwing refuses the
 *       start: the module is not activated, {@link #stop()} is still called so that it can release
 *       what it opened, and the previous version (if any) keeps serving;</li>
 *   <li>{@link #actions()}: read once after a successful start. The names must be exactly those the
 *       descriptor declares in {@code actions};</li>
 *   <li>{@link SelfChecking#selfCheck()}, when the module implements it: a failure rolls back like a
 *       failed start;</li>
 *   <li>actions run on the host's worker threads, concurrently, until the module is replaced,
 *       disabled or removed;</li>
 *   <li>{@link #stop()}: called after the commands in flight have finished (or after a bounded wait).
 *       The host then cancels the module's scheduled work and closes its class loader.</li>
 * </ol>
 *
 * <p>Both {@code start} and {@code stop} run under a time limit; a module that hangs is abandoned and
 * reported, never allowed to block the extender. Any {@link Throwable} a module throws is contained.
 */
public interface ExtenderModule {
    /**
     * Starts the module. May block for I/O (for example a test bind to a directory) but must return
     * within the host's start limit.
     *
     * @param context what the host offers this module version; valid until {@link #stop()} returns
     * @throws Exception to refuse the start; the message is reported to the cloud, so make it say what
     *                   the administrator should fix
     */
    void start(ModuleContext context) throws Exception;

    /**
     * The actions this module offers, by name. Handlers are called concurrently and must be
     * thread-safe.
     */
    Map<String, ActionHandler> actions();

    /** Releases what {@link #start(ModuleContext)} opened. The default does nothing. */
    default void stop() throws Exception {
    }
}
