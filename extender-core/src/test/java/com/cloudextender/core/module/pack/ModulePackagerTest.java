package com.cloudextender.core.module.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModulePackagerTest {
    @TempDir
    Path dir;

    private Path keystore(TestPublisher publisher, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("publisher", publisher.privateKey(), password.toCharArray(), new Certificate[] {publisher.certificate()});
        Path file = dir.resolve("publisher.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new ModulePackager().printTo(new PrintWriter(out, true)));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void signsAPackageThatTheVerifierAccepts() throws Exception {
        TestPublisher publisher = TestPublisher.create("Build Publisher");
        Path descriptor = Files.writeString(dir.resolve("module.properties"), ZipFixtures.DESCRIPTOR);
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.write(lib.resolve("example-1.2.0.jar"), new byte[] {1});
        Files.write(lib.resolve("jackson-databind-2.18.1.jar"), new byte[] {2});
        Path out = Files.createDirectories(dir.resolve("target"));
        StringWriter stdout = new StringWriter();

        int code = run(stdout, new StringWriter(), "--descriptor", descriptor.toString(), "--lib", lib.toString(),
                "--out", out.toString(), "--keystore", keystore(publisher, "s3cret").toString(), "--alias", "publisher",
                "--storepass-env", "CX_TEST_UNSET_VARIABLE", "--storepass", "s3cret");

        assertEquals(0, code);
        Path pkg = out.resolve("example-1.2.0.cxm");
        assertEquals("signed " + pkg + " (example 1.2.0, 2 jars, publisher CN=Build Publisher)", stdout.toString().strip());
        VerifiedPackage p = new PackageVerifier(List.of(publisher.certificate())).verifyAndExtract(pkg, dir.resolve("x"));
        assertEquals(2, p.jars().size());
    }

    @Test
    void saysWhereThePasswordComesFromWhenNoneIsGiven() throws Exception {
        TestPublisher publisher = TestPublisher.create("Build Publisher");
        Path descriptor = Files.writeString(dir.resolve("module.properties"), ZipFixtures.DESCRIPTOR);
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ModulePackager());
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--descriptor", descriptor.toString(), "--lib", dir.toString(), "--out", dir.toString(),
                "--keystore", keystore(publisher, "pw").toString(), "--alias", "publisher",
                "--storepass-env", "CX_TEST_UNSET_VARIABLE");
        assertTrue(code != 0);
        assertTrue(err.toString().contains("set the environment variable CX_TEST_UNSET_VARIABLE"), err.toString());
    }

    @Test
    void publishersLoadsEveryPemOfAFolder() throws Exception {
        TestPublisher a = TestPublisher.create("A");
        TestPublisher b = TestPublisher.create("B");
        Path folder = dir.resolve("publishers");
        a.pemFile(folder);
        b.pemFile(folder);
        Files.writeString(folder.resolve("README.md"), "not a certificate");
        assertEquals(List.of(a.certificate(), b.certificate()), Publishers.load(folder));
        assertEquals(List.of(a.certificate()), Publishers.load(a.pemFile(dir)));
    }

    @Test
    void publishersRefusesAnEmptyFolder() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("none"));
        ModulePackageException e = org.junit.jupiter.api.Assertions.assertThrows(ModulePackageException.class,
                () -> Publishers.load(empty));
        assertTrue(e.getMessage().startsWith("publisher certificates: none found in "), e.getMessage());
    }
}
