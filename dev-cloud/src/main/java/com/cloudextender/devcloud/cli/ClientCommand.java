package com.cloudextender.devcloud.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;

/** Base of the commands that talk to a running dev cloud: errors become one line on stderr and exit code 1. */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    DataDirOption data;

    @Override
    public final Integer call() {
        try {
            run(ConsoleClient.forDataDir(data.dataDir));
            return 0;
        } catch (CliException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    abstract void run(ConsoleClient client) throws CliException;
}
