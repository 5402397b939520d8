package com.cloudextender.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.cloudextender.core.module.pack.PackageSigner;

/**
 * The module packages the build made (modules/&lt;name&gt;/target/*.cxm) and the development publisher,
 * for the demo, the end-to-end tests and the benchmarks. Also makes a new version of a package (same
 * jars, another version number), signed with the development key, to show upgrades.
 */
public final class DevPackages {
    private static final String DEV_KEYSTORE = "modules/dev-signing/dev-publisher.p12";
    private static final char[] DEV_PASSWORD = "dev-signing-only".toCharArray();

    private DevPackages() {
    }

    /** The repository's root folder: the nearest parent of the working folder that holds modules/dev-signing. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("modules/dev-signing"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run from inside the repository (modules/dev-signing not found above "
                    + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    /**
     * The development publisher's certificate, for {@code modules.publishers}. An extender accepts it only with
     * {@code modules.allowDevelopmentPublisher=true}; the customer archive does not contain it.
     */
    public static Path publishers() {
        return root().resolve("modules/dev-signing/dev-publisher.pem");
    }

    /** The package that {@code mvn package} built for {@code modules/<name>}. */
    public static Path built(String name) {
        Path target = root().resolve("modules/" + name + "/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.toString().endsWith(".cxm")).findFirst().orElseThrow(() ->
                    new IllegalStateException("no .cxm in " + target + "; build first: mvn install -DskipTests"));
        } catch (IOException e) {
            throw new UncheckedIOException("no module build at " + target + "; build first: mvn install -DskipTests", e);
        }
    }

    /** Writes {@code out}: the jars and descriptor of {@code cxm} with {@code version}, signed with the dev key. */
    public static Path withVersion(Path cxm, String version, Path out) {
        try {
            Path work = Files.createTempDirectory(out.toAbsolutePath().getParent(), "repack");
            String descriptor;
            List<Path> jars = new ArrayList<>();
            try (ZipFile zip = new ZipFile(cxm.toFile())) {
                descriptor = new String(zip.getInputStream(zip.getEntry("module.properties")).readAllBytes(),
                        StandardCharsets.UTF_8);
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    if (e.getName().startsWith("lib/")) {
                        Path jar = work.resolve(e.getName().substring(4));
                        try (InputStream in = zip.getInputStream(e)) {
                            Files.copy(in, jar);
                        }
                        jars.add(jar);
                    }
                }
            }
            descriptor = descriptor.replaceAll("(?m)^version=.*$", "version=" + version);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(root().resolve(DEV_KEYSTORE))) {
                ks.load(in, DEV_PASSWORD);
            }
            String alias = ks.aliases().nextElement();
            new PackageSigner((PrivateKey) ks.getKey(alias, DEV_PASSWORD), (X509Certificate) ks.getCertificate(alias))
                    .write(descriptor, jars, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the development key " + DEV_KEYSTORE + ": " + e, e);
        }
    }
}
