package com.cloudextender.modules.traveler.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A TLS key for the emulated server (127.0.0.1 and localhost), made with the JDK's keytool, and its certificate as PEM. */
public final class TestTls {
    public static final String PASSWORD = "test-only-pass";

    /** The server's PKCS#12 key store. */
    public final Path keystore;
    /** The server's certificate, PEM: the module's {@code trustStore}. */
    public final Path pem;

    private TestTls(Path dir) {
        keystore = dir.resolve("server.p12");
        pem = dir.resolve("server.pem");
    }

    public static TestTls create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestTls t = new TestTls(dir);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-keystore", t.keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", t.keystore.toString(), "-storepass", PASSWORD,
                "-file", t.pem.toString());
        return t;
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
