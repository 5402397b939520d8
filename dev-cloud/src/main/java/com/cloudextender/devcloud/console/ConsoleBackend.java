package com.cloudextender.devcloud.console;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.cloudextender.devcloud.ExtenderView;
import com.cloudextender.devcloud.ResultView;
import com.cloudextender.devcloud.UploadView;
import com.cloudextender.devcloud.registration.ActivationCode;
import com.cloudextender.devcloud.routing.CommandStatus;
import com.cloudextender.devcloud.routing.CommandTarget;
import com.cloudextender.devcloud.routing.SentCommand;

/** What the console API shows and does; implemented by the dev cloud. */
public interface ConsoleBackend {
    List<ExtenderView> extenders();

    ActivationCode createActivationCode(String customer);

    /**
     * Sends a command.
     *
     * @throws IllegalArgumentException if the extender or customer is unknown (the message says which)
     */
    SentCommand send(CommandTarget target, String module, String action, String argumentsJson, Duration timeout);

    Optional<CommandStatus> command(String commandId);

    List<UploadView> uploads();

    List<ResultView> results();
}
