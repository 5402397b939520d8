package com.cloudextender.devcloud;

import com.cloudextender.devcloud.cli.ActivationCodeCommand;
import com.cloudextender.devcloud.cli.ExtendersCommand;
import com.cloudextender.devcloud.cli.FeatureCommand;
import com.cloudextender.devcloud.cli.ModulesCommand;
import com.cloudextender.devcloud.cli.PublishCommand;
import com.cloudextender.devcloud.cli.ResultCommand;
import com.cloudextender.devcloud.cli.SendCommand;
import com.cloudextender.devcloud.cli.ServeCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The dev cloud's command line: {@code serve} runs a dev cloud; the other commands talk to a running
 * one through its console API, finding its URL and token in the data directory.
 */
@Command(name = "dev-cloud", mixinStandardHelpOptions = true, version = "dev-cloud 0.1.0",
        description = "A reference cloud for Cloud Extender: XMPP channel endpoint, registration, commands, uploads, modules, console.",
        subcommands = {ServeCommand.class, ExtendersCommand.class, SendCommand.class, ResultCommand.class,
                ActivationCodeCommand.class, PublishCommand.class, ModulesCommand.class, FeatureCommand.class,
                CommandLine.HelpCommand.class})
public final class DevCloudMain implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DevCloudMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
