package com.cloudextender.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Logging for a benchmark run: everything to a file in the run's folder, only warnings on the console.
 * Public for the soak test ({@code com.cloudextender.soak}).
 */
public final class BenchLogs {
    private BenchLogs() {
    }

    /**
     * Sends the extender's and the modules' logs to {@code work}/logs/extender.log, as the service does:
     * modules log every authentication or enrolment at INFO, thousands per second in a benchmark. Must run before the first logger is created. HttpClient's wire
     * and header loggers stay OFF: they would print raw traffic.
     */
    public static Path toFile(Path work) throws IOException {
        Path file = work.resolve("logs/extender.log");
        Path config = work.resolve("logback.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{ISO8601} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern></encoder>
                  </appender>
                  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>WARN</level></filter>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{24} - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="org.jivesoftware" level="WARN"/>
                  <logger name="org.jscep" level="WARN"/>
                  <logger name="org.apache.hc" level="WARN"/>
                  <logger name="org.apache.hc.client5.http.wire" level="OFF"/>
                  <logger name="org.apache.hc.client5.http.headers" level="OFF"/>
                  <root level="INFO"><appender-ref ref="FILE"/><appender-ref ref="CONSOLE"/></root>
                </configuration>
                """.formatted(file));
        System.setProperty("logback.configurationFile", config.toString());
        return file;
    }

    /** A benchmark's work, given its working folder and its log file. */
    @FunctionalInterface
    interface Body {
        void run(Path work, Path log) throws Exception;
    }

    /**
     * Runs a benchmark in a new working folder with its logs in a file, then exits the JVM: 0 on success,
     * 1 with the reason on failure (the dev cloud's and pools' non-daemon threads must not keep it alive).
     */
    static void runAndExit(String name, Body body) throws IOException {
        Path work = Files.createTempDirectory("cloud-extender-" + name + "-bench");
        Path log = toFile(work);
        int status = 0;
        try {
            body.run(work, log);
            keepOnlyLogs(work);
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("[" + name + "-bench] FAILED: " + e.getMessage() + " (logs in " + log
                    + "; the working folder is kept)");
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Deletes what a finished benchmark left in {@code work} but its logs folder: a directory benchmark's slapd
     * database and stores are about 175 MB, the MEG benchmark's file 1 GiB, and repeated runs filled the disk.
     */
    public static void keepOnlyLogs(Path work) throws IOException {
        Path logs = work.resolve("logs");
        try (var paths = Files.walk(work)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                if (!p.equals(work) && !p.startsWith(logs)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
