package com.cloudextender.devcloud.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The {@code --data-dir} option every command shares. */
public final class DataDirOption {
    @Option(names = {"-d", "--data-dir"}, defaultValue = "dev-cloud-data", paramLabel = "DIR",
            description = "The dev cloud's data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;
}
