package com.cloudextender.devcloud.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve}: runs a dev cloud in the foreground until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a dev cloud until Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    DataDirOption data;

    @Option(names = "--domain", defaultValue = "localhost", description = "XMPP domain and cloud address (default: ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--tls-port", defaultValue = "5223", description = "Direct-TLS XMPP port (default: ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--starttls-port", defaultValue = "5222", description = "STARTTLS XMPP port (default: ${DEFAULT-VALUE}).")
    int startTlsPort;

    @Option(names = "--api-port", defaultValue = "8443", description = "HTTPS port of registration, uploads and console (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--modules-dir", paramLabel = "DIR",
            description = "The module repository's folder (default: <data-dir>/modules).")
    Path modulesDir;

    @Option(names = "--activation-code", paramLabel = "CODE",
            description = "Also accept this fixed activation code (for scripts); needs --customer.")
    String activationCode;

    @Option(names = "--customer", paramLabel = "NAME", description = "Customer of --activation-code.")
    String customer;

    @Option(names = "--reusable-code", description = "Let --activation-code register any number of extenders until "
            + "it expires (for demonstrations); by default it registers one.")
    boolean reusable;

    @Override
    public Integer call() throws Exception {
        if ((activationCode == null) != (customer == null)) {
            System.err.println("--activation-code and --customer go together");
            return 2;
        }
        DevCloud cloud = DevCloud.start(new DevCloudOptions(data.dataDir, domain, tlsPort, startTlsPort, apiPort,
                modulesDir != null ? modulesDir : data.dataDir.resolve(DevCloudOptions.DEFAULT_MODULES_DIR))
                .withDurableCommands(true)); // a restart of a long-running dev cloud loses no pending command
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cloud.close();
            stopped.countDown();
        }, "dev-cloud-shutdown"));
        if (activationCode != null) {
            cloud.addActivationCode(activationCode, customer, reusable);
        }
        System.out.printf("dev cloud running (Ctrl-C to stop)%n"
                + "  domain / cloud address  %s%n"
                + "  XMPP direct TLS         127.0.0.1:%d%n"
                + "  XMPP STARTTLS           127.0.0.1:%d%n"
                + "  API                     %s%n"
                + "  trust store (PEM)       %s%n"
                + "  console token file      %s%n"
                + "  module repository       %s%n",
                cloud.domain(), cloud.directTlsPort(), cloud.startTlsPort(), cloud.apiUrl(),
                cloud.certificatePem().toAbsolutePath(),
                data.dataDir.resolve(DevCloud.CONSOLE_TOKEN_FILE).toAbsolutePath(), cloud.modulesDir().toAbsolutePath());
        if (activationCode != null) {
            System.out.printf("  activation code         %s (customer %s, %s)%n", activationCode, customer,
                    reusable ? "reusable" : "single use");
        }
        stopped.await();
        return 0;
    }
}
