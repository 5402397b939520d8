package com.cloudextender.core.module;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * Downloads a module package over HTTPS with the extender's shared HTTP client (so through the shared
 * proxy decision, with certificate and host-name verification), refusing anything larger than the
 * limit and anything whose SHA-256 is not the one the cloud announced.
 */
final class ModuleDownloader {
    private final CloseableHttpClient http;
    private final Path incoming;
    private final long maxBytes;

    ModuleDownloader(CloseableHttpClient http, Path incoming, long maxBytes) {
        this.http = http;
        this.incoming = incoming;
        this.maxBytes = maxBytes;
    }

    /** Downloads {@code url} into a new file and checks it against {@code sha256}; the caller deletes the file. */
    Path fetch(String url, String sha256) throws ModuleFailure, InterruptedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ModuleFailure("'url' is not a URL: " + e.getMessage());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new ModuleFailure("'url' must be an https:// URL with a host; module packages are never "
                    + "downloaded over plain HTTP");
        }
        if (sha256 == null || !sha256.matches("(?i)[0-9a-f]{64}")) {
            throw new ModuleFailure("'sha256' must be the package's SHA-256 as 64 hexadecimal digits");
        }
        Path file;
        try {
            Files.createDirectories(incoming);
            file = Files.createTempFile(incoming, "download-", ".cxm");
        } catch (IOException e) {
            throw new ModuleFailure("cannot create a file in " + incoming + ": " + e.getMessage(), e);
        }
        try {
            String got = http.execute(new HttpGet(uri), response -> {
                if (response.getCode() != 200) {
                    throw new IOException("the server answered HTTP " + response.getCode());
                }
                try (InputStream in = response.getEntity().getContent(); OutputStream out = Files.newOutputStream(file)) {
                    return copyHashed(in, out);
                }
            });
            if (!got.equalsIgnoreCase(sha256)) {
                throw new ModuleFailure("the package downloaded from " + shown(uri) + " has SHA-256 " + got
                        + ", not the announced " + sha256.toLowerCase(Locale.ROOT) + "; it was discarded");
            }
            return file;
        } catch (IOException e) {
            deleteQuietly(file);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("download of " + shown(uri) + " cancelled");
            }
            throw new ModuleFailure("download of " + shown(uri) + " failed: " + e.getMessage(), e);
        } catch (ModuleFailure e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private String copyHashed(InputStream in, OutputStream out) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0;) {
            total += n;
            if (total > maxBytes) {
                throw new IOException("the package is larger than " + maxBytes / (1024 * 1024)
                        + " MB (modules.maxPackageMegabytes)");
            }
            md.update(buf, 0, n);
            out.write(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The URL without its query, which may carry a token. */
    private static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is removed at the next start
        }
    }
}
