package com.cloudextender.core.module.pack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Loads the publisher certificates an extender trusts to sign module packages (conf/publishers/). */
public final class Publishers {
    private Publishers() {
    }

    /**
     * Loads the certificates of a PEM file, or of every {@code *.pem} and {@code *.crt} file in a folder
     * (in name order). A file may hold several certificates.
     *
     * @throws ModulePackageException naming the file that cannot be read, or when none is found
     */
    public static List<X509Certificate> load(Path fileOrDirectory) throws ModulePackageException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(fileOrDirectory)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(fileOrDirectory, "*.{pem,crt}")) {
                dir.forEach(files::add);
            } catch (IOException e) {
                throw new ModulePackageException("publisher certificates: cannot list " + fileOrDirectory + ": " + e.getMessage(), e);
            }
            files.sort(null);
        } else {
            files.add(fileOrDirectory);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Path f : files) {
            certificates.addAll(read(f));
        }
        if (certificates.isEmpty()) {
            throw new ModulePackageException("publisher certificates: none found in " + fileOrDirectory
                    + "; put the PEM certificate of each trusted module publisher there");
        }
        return List.copyOf(certificates);
    }

    private static List<X509Certificate> read(Path file) throws ModulePackageException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ModulePackageException("publisher certificates: " + file + " holds no certificate");
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new ModulePackageException("publisher certificates: " + file + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
    }
}
