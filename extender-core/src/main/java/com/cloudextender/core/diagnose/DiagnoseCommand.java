package com.cloudextender.core.diagnose;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

import com.cloudextender.core.secret.MachineId;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code extender diagnose}: checks the installation and the paths to the cloud and the directory. */
@Command(name = "diagnose", description = "Check the configuration, DNS, proxy, TLS, the cloud API, the clock, "
        + "the directory and the data folder; exit 0 when nothing failed.")
public final class DiagnoseCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "conf/extender.properties",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() {
        DiagnoseReport report = new Diagnosis(config, MachineId.detect(), Clock.systemUTC()).run();
        System.out.print(report.text());
        return report.passed() ? 0 : 1;
    }
}
