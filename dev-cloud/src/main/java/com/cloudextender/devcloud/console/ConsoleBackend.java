package com.cloudextender.devcloud.console;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.cloudextender.devcloud.ExtenderView;
import com.cloudextender.devcloud.ResultView;
import com.cloudextender.devcloud.UploadView;
import com.cloudextender.devcloud.features.Feature;
import com.cloudextender.devcloud.modules.ModuleEntry;
import com.cloudextender.devcloud.modules.PackageRefusedException;
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

    /**
     * Publishes the package read from {@code body}.
     *
     * @throws IllegalArgumentException if {@code channel} is not {@code stable} or {@code pre-release}
     */
    ModuleEntry publishModule(InputStream body, String channel) throws IOException, PackageRefusedException;

    List<ModuleEntry> modules();

    /**
     * Enables or reconfigures a feature; true if newly enabled.
     *
     * @throws IllegalArgumentException if the customer or the module is unknown (the message says which)
     */
    boolean enableFeature(String customer, String moduleId, Map<String, String> config) throws IOException;

    /** Disables a feature; false if it was not enabled. */
    boolean disableFeature(String customer, String moduleId) throws IOException;

    List<Feature> features(String customer);

    /** Where each extender of {@code customer} stands with the feature {@code moduleId} (its last push). */
    List<com.cloudextender.devcloud.features.ModuleRollout.Push> featurePushes(String customer, String moduleId);
}
