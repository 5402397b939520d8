package com.cloudextender.core.diagnose;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.concurrent.Callable;

import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.config.ConfigLoader;
import com.cloudextender.core.secret.MachineId;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code extender support-bundle [-o FILE]}: a zip for the support team, without any secret. */
@Command(name = "support-bundle", description = "Write a zip for support: recent logs, the configuration with "
        + "secrets removed, status, diagnose report, Java and OS versions.")
public final class SupportBundleCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "conf/extender.properties",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "The zip to write (default: support-bundle-<time>.zip in the current folder).")
    Path output;

    @Override
    public Integer call() {
        Path target = output != null ? output : Path.of("support-bundle-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".zip");
        try {
            DiagnoseReport report = new Diagnosis(config, MachineId.detect(), Clock.systemUTC()).run();
            Path install = installFolder(config);
            Path dataDir = ConfigLoader.dataDir(config);
            Path modules = setting(config, "modules.overrides", "conf/modules", install);
            String logDir = System.getProperty("extender.logDir");
            new SupportBundle(config, dataDir, modules, logDir != null ? Path.of(logDir) : install.resolve("logs"))
                    .write(target, report.text());
            System.out.println("Support bundle written: " + target.toAbsolutePath() + " (secret values removed)");
            return 0;
        } catch (IOException | ConfigException e) {
            System.err.println("extender support-bundle: cannot write " + target + ": " + e.getMessage());
            return 1;
        }
    }

    private static Path installFolder(Path config) {
        Path confDir = config.toAbsolutePath().getParent();
        return confDir.getParent() == null ? confDir : confDir.getParent();
    }

    private static Path setting(Path config, String key, String def, Path install) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(config)));
        String v = p.getProperty(key, def).trim();
        Path path = Path.of(v.isEmpty() ? def : v);
        return path.isAbsolute() ? path : install.resolve(path).normalize();
    }
}
