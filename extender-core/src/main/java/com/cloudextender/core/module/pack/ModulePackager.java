package com.cloudextender.core.module.pack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command that builds a signed module package; each module's Maven build runs it (modules/pom.xml):
 * <pre>
 * ModulePackager --descriptor target/module/module.properties --lib target/module-lib \
 *     --out target --keystore dev-publisher.p12 --alias dev-publisher [--storepass-env CX_SIGNING_PASSWORD]
 * </pre>
 * The keystore password comes from the environment variable named by {@code --storepass-env} when it
 * is set, else from {@code --storepass} (meant only for the development key, whose password is public).
 * {@code --out} is the package file, or a folder in which it is named {@code <id>-<version>.cxm}.
 */
@Command(name = "module-packager", mixinStandardHelpOptions = true,
        description = "Builds a signed module package (.cxm) from a descriptor and a folder of jars.")
public final class ModulePackager implements Callable<Integer> {
    @Option(names = "--descriptor", required = true, description = "the module.properties file")
    Path descriptor;
    @Option(names = "--lib", required = true, description = "the folder of jars to package (the module's and its dependencies)")
    Path lib;
    @Option(names = "--out", required = true, description = "the package file, or a folder to write <id>-<version>.cxm into")
    Path out;
    @Option(names = "--keystore", required = true, description = "the PKCS#12 keystore holding the publisher key")
    Path keystore;
    @Option(names = "--alias", required = true, description = "the key's alias in the keystore")
    String alias;
    @Option(names = "--storepass-env", defaultValue = "CX_SIGNING_PASSWORD",
            description = "the environment variable holding the keystore password (default: ${DEFAULT-VALUE})")
    String storepassEnv;
    @Option(names = "--storepass", description = "the keystore password, for the development key only")
    String storepass;

    private PrintWriter stdout = new PrintWriter(System.out, true);

    /**
     * Runs the command. Throws instead of calling {@link System#exit} on failure, because the Maven
     * build runs it inside Maven's own JVM (exec:java), where exiting would end Maven itself.
     */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new ModulePackager());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("module-packager: " + e.getMessage());
            return 1;
        });
        int code = cl.execute(args);
        if (code != 0) {
            throw new IllegalStateException("module packaging failed (see the message above)");
        }
    }

    @Override
    public Integer call() throws IOException, GeneralSecurityException, ModulePackageException {
        String text = Files.readString(descriptor, StandardCharsets.UTF_8);
        ModuleDescriptor parsed;
        try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            parsed = ModuleDescriptor.parse(in, descriptor.toString());
        }
        List<Path> jars = jars();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] password = password();
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        } catch (IOException e) {
            throw new IOException(keystore + ": cannot open the keystore (wrong password, or not PKCS#12): " + e.getMessage(), e);
        }
        Key key = ks.getKey(alias, password);
        if (!(key instanceof PrivateKey privateKey) || !(ks.getCertificate(alias) instanceof X509Certificate certificate)) {
            throw new IOException(keystore + ": no private key with a certificate under alias '" + alias + "'");
        }
        Path file = Files.isDirectory(out) ? out.resolve(parsed.id() + "-" + parsed.version() + ".cxm") : out;
        new PackageSigner(privateKey, certificate).write(text, jars, file);
        stdout.printf("signed %s (%s %s, %d jars, publisher %s)%n", file, parsed.id(), parsed.version(), jars.size(),
                PublisherTrust.subject(certificate));
        return 0;
    }

    private List<Path> jars() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(lib, "*.jar")) {
            dir.forEach(jars::add);
        }
        jars.sort(null);
        return jars;
    }

    private char[] password() throws IOException {
        String fromEnvironment = System.getenv(storepassEnv);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        if (storepass != null) {
            return storepass.toCharArray();
        }
        throw new IOException("no keystore password: set the environment variable " + storepassEnv
                + " (or pass --storepass for the development key)");
    }

    /** For tests: where the success line goes. */
    ModulePackager printTo(PrintWriter out) {
        this.stdout = out;
        return this;
    }
}
