package com.cloudextender.api;

/**
 * Runs one action of a module. Called on a worker thread of the extender, never on the connection's
 * thread; may block. The thread is interrupted when the command's time limit passes, so long work
 * should check {@link Thread#isInterrupted()} or use interruptible calls.
 */
@FunctionalInterface
public interface ActionHandler {
    /**
     * Executes {@code command} and returns its result.
     *
     * @throws CommandException to end with a specific error code
     * @throws Exception        anything else ends the command with {@link ErrorCode#MODULE_FAILURE}
     */
    CommandResult execute(Command command) throws Exception;
}
