package com.cloudextender.modules.directory.testing;

import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;

/**
 * Self-signed certificates made once per test JVM with the JDK's keytool, so the test directories speak
 * StartTLS and LDAPS as a real one should: one for the host name {@code localhost} (the tests connect by
 * name, since the SDK skips the host-name check for loopback IP literals), and one for
 * {@link #OTHER_NAME}, which {@code localhost} does not match. A PEM file is what profiles trust.
 */
final class TlsMaterial {
    private static final String PASSWORD = "test-only-keystore";
    /** The host name the test servers are reached by; their usual certificate names it. */
    static final String HOST = "localhost";
    /** The name of the other certificate: a server presenting it to a client of localhost fails the check. */
    static final String OTHER_NAME = "dc1.corp.example.test";
    private static Path dir;

    private TlsMaterial() {
    }

    /** The PEM file of the certificate for {@code name} ({@link #HOST} or {@link #OTHER_NAME}). */
    static synchronized Path certificatePem(String name) {
        return made().resolve(alias(name) + "-cert.pem");
    }

    private static String alias(String name) {
        return name.equals(HOST) ? "ldap" : "other";
    }

    /** The key manager of the certificate for {@code name}. */
    static KeyStoreKeyManager keys(String name) throws java.security.KeyStoreException {
        return new KeyStoreKeyManager(made().resolve(alias(name) + ".p12").toFile(), PASSWORD.toCharArray(), "PKCS12",
                alias(name));
    }

    /** The factory the server's StartTLS layers TLS with; {@code upgrades} counts the connections upgraded. */
    static SSLSocketFactory serverSocketFactory(java.util.concurrent.atomic.AtomicInteger upgrades, String name) {
        try {
            // The server side of StartTLS wraps accepted sockets with a client-style socket factory.
            SSLSocketFactory f = new SSLUtil(keys(name), null).createSSLSocketFactory();
            return new SSLSocketFactory() {
                @Override
                public java.net.Socket createSocket(java.net.Socket s, String host, int port, boolean autoClose)
                        throws IOException {
                    upgrades.incrementAndGet();
                    return f.createSocket(s, host, port, autoClose);
                }

                @Override
                public String[] getDefaultCipherSuites() {
                    return f.getDefaultCipherSuites();
                }

                @Override
                public String[] getSupportedCipherSuites() {
                    return f.getSupportedCipherSuites();
                }

                @Override
                public java.net.Socket createSocket(String host, int port) throws IOException {
                    return f.createSocket(host, port);
                }

                @Override
                public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                        throws IOException {
                    return f.createSocket(host, port, local, localPort);
                }

                @Override
                public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
                    return f.createSocket(host, port);
                }

                @Override
                public java.net.Socket createSocket(java.net.InetAddress address, int port,
                                                    java.net.InetAddress local, int localPort) throws IOException {
                    return f.createSocket(address, port, local, localPort);
                }
            };
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test directory's TLS: " + e.getMessage(), e);
        }
    }

    private static synchronized Path made() {
        if (dir != null) {
            return dir;
        }
        try {
            Path d = Files.createTempDirectory("test-ldap-tls");
            d.toFile().deleteOnExit();
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            for (String name : List.of(HOST, OTHER_NAME)) {
                String alias = alias(name);
                run(List.of(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-ext", "BC:c=ca:false", "-validity", "2",
                        "-keystore", d.resolve(alias + ".p12").toString(), "-storetype", "PKCS12",
                        "-storepass", PASSWORD, "-keypass", PASSWORD));
                run(List.of(keytool, "-exportcert", "-rfc", "-alias", alias, "-keystore",
                        d.resolve(alias + ".p12").toString(), "-storepass", PASSWORD, "-file",
                        d.resolve(alias + "-cert.pem").toString()));
                d.resolve(alias + ".p12").toFile().deleteOnExit();
                d.resolve(alias + "-cert.pem").toFile().deleteOnExit();
            }
            dir = d;
            return d;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot make the test directory's certificate: " + e.getMessage(), e);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command.get(1) + " failed: " + out);
        }
    }
}
