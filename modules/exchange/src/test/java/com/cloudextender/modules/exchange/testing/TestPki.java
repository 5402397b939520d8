package com.cloudextender.modules.exchange.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Key stores made with the JDK's keytool for tests: the fake servers' TLS key (for 127.0.0.1 and
 * localhost, trusted by the module through a PEM trust store) and application certificates for
 * app-only sign-in, valid or expired.
 */
public final class TestPki {
    public static final String PASSWORD = "test-only-pass";

    /** The server's PKCS#12 key store. */
    public final Path serverKeystore;
    /** The server's certificate, PEM: the module's {@code online.trustStore}. */
    public final Path serverPem;
    /** A valid application certificate with its key, PKCS#12. */
    public final Path appCertificate;
    /** An application certificate that expired, PKCS#12. */
    public final Path expiredAppCertificate;

    private TestPki(Path dir) throws IOException, InterruptedException {
        serverKeystore = dir.resolve("server.p12");
        serverPem = dir.resolve("server.pem");
        appCertificate = dir.resolve("app.p12");
        expiredAppCertificate = dir.resolve("app-expired.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-keystore", serverKeystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", serverKeystore.toString(), "-storepass", PASSWORD,
                "-file", serverPem.toString());
        keytool("-genkeypair", "-alias", "app", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=extender-app",
                "-validity", "30", "-keystore", appCertificate.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD);
        keytool("-genkeypair", "-alias", "app", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=expired-app",
                "-startdate", "-60d", "-validity", "30", "-keystore", expiredAppCertificate.toString(), "-storetype",
                "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    }

    public static TestPki create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return new TestPki(dir);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
