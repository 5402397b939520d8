package com.cloudextender.devcloud.routing;

import com.cloudextender.devcloud.CommandOutcome;

/**
 * A command as the console shows it.
 *
 * @param commandId the command id
 * @param target where it was addressed
 * @param module the module
 * @param action the action
 * @param extenderId the extender it was last sent to, or null if it has not been sent yet
 * @param deliveries how many times it was sent
 * @param accepted whether an extender accepted it
 * @param outcome the outcome, or null while it is pending
 */
public record CommandStatus(String commandId, CommandTarget target, String module, String action, String extenderId,
        int deliveries, boolean accepted, CommandOutcome outcome) {

    public boolean isDone() {
        return outcome != null;
    }
}
