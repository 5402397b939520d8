package com.cloudextender.core.setup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.cloudextender.core.config.ConfigLoader;
import com.cloudextender.core.secret.MachineId;
import com.cloudextender.core.secret.MachineKey;
import com.cloudextender.core.secret.SecretBox;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code extender setup [--answers FILE]}: the setup wizard (docs/OPERATIONS.md, "Setting up"). */
@Command(name = "setup", description = "Set up the cloud connection, the proxy and the directory, each tested live.")
public final class SetupCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "conf/extender.properties",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--answers", paramLabel = "FILE",
            description = "Take the answers from this properties file instead of asking (see docs/OPERATIONS.md).")
    Path answers;

    @Override
    public Integer call() {
        try {
            SecretBox secrets = machineSecrets(config);
            SetupInput input;
            boolean directory = false;
            if (answers != null) {
                AnswersInput file = AnswersInput.read(answers, System.out);
                directory = file.has("directory.servers");
                input = file;
            } else {
                input = new ConsoleInput(System.console(), new BufferedReader(new InputStreamReader(System.in,
                        Charset.defaultCharset())), System.out);
            }
            new SetupWizard(input, config, secrets).run(directory);
            if (answers != null) {
                System.out.println("WARNING: " + answers + " holds secrets in clear. Delete it now; the settings are "
                        + "written and the secrets in them are encrypted.");
            }
            return 0;
        } catch (SetupAbort e) {
            System.err.println("extender setup: " + e.getMessage());
            if (answers != null && e.exitCode() != SetupAbort.BAD_ANSWERS) {
                System.err.println("Nothing was written. Correct " + answers + " and run setup again; delete the file "
                        + "afterwards, it holds secrets in clear.");
            }
            return e.exitCode();
        }
    }

    /**
     * The machine-bound box the extender seals secrets with (as at start: data folder from the configuration,
     * machine id detected).
     */
    static SecretBox machineSecrets(Path config) throws SetupAbort {
        try {
            if (!Files.exists(config)) {
                Files.createDirectories(config.toAbsolutePath().getParent());
                Files.writeString(config, "# Cloud Extender configuration (see the documented file in the archive).\n");
            }
            return new SecretBox(MachineKey.open(ConfigLoader.dataDir(config), MachineId.detect()));
        } catch (IOException | RuntimeException e) {
            throw new SetupAbort(SetupAbort.CANNOT_WRITE, "cannot open this machine's key in the data folder: "
                    + e.getMessage() + "; run setup as the service account, which needs write access to data/ and conf/");
        }
    }
}
