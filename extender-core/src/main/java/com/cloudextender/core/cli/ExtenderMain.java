package com.cloudextender.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import com.cloudextender.core.Extender;
import com.cloudextender.core.StartupException;
import com.cloudextender.core.Version;
import com.cloudextender.core.config.ConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code extender} command: {@code run} in the foreground, {@code status}, {@code version}. */
@Command(name = "extender", mixinStandardHelpOptions = true, versionProvider = ExtenderMain.VersionProvider.class,
        description = "Cloud Extender: the on-premises connector of the device-management cloud.",
        subcommands = {ExtenderMain.Run.class, ExtenderMain.Status.class, com.cloudextender.core.setup.SetupCommand.class,
                com.cloudextender.core.diagnose.DiagnoseCommand.class,
                com.cloudextender.core.diagnose.SupportBundleCommand.class})
public final class ExtenderMain implements Callable<Integer> {
    static final int EXIT_CONFIG = 2;
    static final int EXIT_NOT_CONNECTED = 3;

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(new CommandLine(new ExtenderMain()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Cloud Extender " + Version.current()};
        }
    }

    /** Runs the extender in the foreground until interrupted (Ctrl+C or a service stop). */
    @Command(name = "run", description = "Run the extender in the foreground.")
    static final class Run implements Callable<Integer> {
        private static final Logger LOG = LoggerFactory.getLogger(Run.class);

        @Option(names = {"-c", "--config"}, defaultValue = "conf/extender.properties",
                description = "Configuration file (default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--stop-grace", defaultValue = "30s", description = "How long a stop waits for running commands.")
        String grace;

        @Override
        public Integer call() throws InterruptedException {
            Extender extender;
            try {
                extender = Extender.start(config);
            } catch (StartupException e) {
                LOG.error("The extender cannot start: {}", e.getMessage());
                System.err.println("extender: cannot start: " + e.getMessage());
                return EXIT_CONFIG;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Duration stopGrace = com.cloudextender.core.config.Durations.parse("--stop-grace", grace);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("Stopping the extender (waiting up to {} s for running commands)", stopGrace.toSeconds());
                extender.stop(stopGrace);
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return 0;
        }
    }

    /** One line per module: id, version, state, and what waits or went wrong. */
    static void printModules(JsonNode modules) {
        System.out.println("Modules");
        for (JsonNode m : modules) {
            StringBuilder line = new StringBuilder(String.format("  %-12s %-16s %-10s", m.path("id").asText(),
                    m.path("version").asText(), m.path("state").asText()));
            if (m.hasNonNull("pendingVersion")) {
                line.append(" upgrade to ").append(m.path("pendingVersion").asText()).append(" waits for the update window");
            }
            if (m.hasNonNull("lastError")) {
                line.append(" last error: ").append(m.path("lastError").asText());
            }
            System.out.println(line.toString().stripTrailing());
        }
    }

    /** Prints the state a running extender last recorded in its data folder. */
    @Command(name = "status", description = "Show the state of the extender that uses this configuration.")
    static final class Status implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, defaultValue = "conf/extender.properties",
                description = "Configuration file (default: ${DEFAULT-VALUE}).")
        Path config;

        @Override
        public Integer call() throws Exception {
            Path file = ConfigLoader.dataDir(config).resolve("status.json");
            if (!Files.exists(file)) {
                System.out.println("No status recorded at " + file + ": the extender has not run with this "
                        + "configuration yet.");
                return EXIT_NOT_CONNECTED;
            }
            JsonNode s = new ObjectMapper().readTree(file.toFile());
            JsonNode ch = s.path("channel");
            System.out.printf("Extender     %s (version %s)%n", s.path("extenderId").asText("-"), s.path("version").asText());
            System.out.printf("Started      %s%n", s.path("startedAt").asText());
            System.out.printf("Channel      %s since %s (%s)%n", ch.path("state").asText(), ch.path("since").asText(),
                    ch.path("server").asText());
            if (!ch.path("lastError").isNull() && !ch.path("lastError").asText().isEmpty()) {
                System.out.printf("Last error   %s%n", ch.path("lastError").asText());
            }
            if (!ch.path("nextAttempt").isNull()) {
                System.out.printf("Next attempt %s (failed attempts: %d)%n", ch.path("nextAttempt").asText(),
                        ch.path("failedAttempts").asInt());
            }
            System.out.printf("Commands     %s%n", s.path("commands"));
            System.out.printf("Outbox       %d result(s) waiting for acknowledgement%n",
                    s.path("outbox").path("pending").asInt());
            printModules(s.path("modules"));
            return "CONNECTED".equals(ch.path("state").asText()) ? 0 : EXIT_NOT_CONNECTED;
        }
    }
}
