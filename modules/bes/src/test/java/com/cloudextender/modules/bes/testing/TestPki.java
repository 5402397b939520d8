package com.cloudextender.modules.bes.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The emulated BAS's TLS key for 127.0.0.1 (made with the JDK's keytool) and its certificate as PEM. */
public final class TestPki {
    public static final String PASSWORD = "test-only-pass";

    /** The server's PKCS#12 key store. */
    public final Path serverKeystore;
    /** The server's certificate, PEM: the module's {@code trustStore}. */
    public final Path serverPem;
    /** Another certificate, PEM, that did not sign the server's: a wrong trust store. */
    public final Path otherPem;

    private TestPki(Path dir) throws IOException, InterruptedException {
        serverKeystore = dir.resolve("server.p12");
        serverPem = dir.resolve("server.pem");
        otherPem = dir.resolve("other.pem");
        Path other = dir.resolve("other.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-keystore", serverKeystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", serverKeystore.toString(), "-storepass", PASSWORD,
                "-file", serverPem.toString());
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=other",
                "-validity", "30", "-keystore", other.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", other.toString(), "-storepass", PASSWORD,
                "-file", otherPem.toString());
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
