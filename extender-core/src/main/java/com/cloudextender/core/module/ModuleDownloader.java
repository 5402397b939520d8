package com.cloudextender.core.module;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import com.cloudextender.core.net.Urls;

/**
 * Downloads a module package over HTTPS with the extender's shared HTTP client (so through the shared
 * proxy decision, with certificate and host-name verification), refusing anything larger than the
 * limit and anything whose SHA-256 is not the one the cloud announced.
 *
 * <p>The shared client follows no redirect by itself ({@code OutboundHttp}); this class follows at most
 * {@value #MAX_REDIRECTS} and only to {@code https} URLs, so that a redirect cannot send the download (and
 * the proxy credentials with it) over plain HTTP.
 */
final class ModuleDownloader {
    static final int MAX_REDIRECTS = 5;

    private final CloseableHttpClient http;
    private final Path incoming;
    private final long maxBytes;

    ModuleDownloader(CloseableHttpClient http, Path incoming, long maxBytes) {
        this.http = http;
        this.incoming = incoming;
        this.maxBytes = maxBytes;
    }

    /** Where one request led: a redirect to follow, or the SHA-256 of the body that was saved. */
    private record Answer(String location, String sha256) {
    }

    /** Downloads {@code url} into a new file and checks it against {@code sha256}; the caller deletes the file. */
    Path fetch(String url, String sha256) throws ModuleFailure, InterruptedException {
        URI uri;
        try {
            uri = Urls.https("'url'", url);
        } catch (IllegalArgumentException e) {
            throw new ModuleFailure(e.getMessage());
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
        URI first = uri;
        try {
            for (int redirects = 0;; redirects++) {
                Answer answer = get(uri, file);
                if (answer.sha256() != null) {
                    if (!answer.sha256().equalsIgnoreCase(sha256)) {
                        throw new ModuleFailure("the package downloaded from " + Urls.shown(uri) + " has SHA-256 "
                                + answer.sha256() + ", not the announced " + sha256.toLowerCase(Locale.ROOT)
                                + "; it was discarded");
                    }
                    return file;
                }
                if (redirects == MAX_REDIRECTS) {
                    throw new ModuleFailure("download of " + Urls.shown(first) + " was redirected more than "
                            + MAX_REDIRECTS + " times; refused");
                }
                uri = redirectTarget(uri, answer.location());
            }
        } catch (IOException e) {
            deleteQuietly(file);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("download of " + Urls.shown(uri) + " cancelled");
            }
            throw new ModuleFailure("download of " + Urls.shown(uri) + " failed: " + e.getMessage(), e);
        } catch (ModuleFailure | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private Answer get(URI uri, Path file) throws IOException {
        return http.execute(new HttpGet(uri), response -> {
            int code = response.getCode();
            if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
                Header location = response.getFirstHeader("Location");
                EntityUtils.consume(response.getEntity());
                if (location == null || location.getValue().isBlank()) {
                    throw new IOException("the server answered HTTP " + code + " without a Location");
                }
                return new Answer(location.getValue().trim(), null);
            }
            if (code != 200) {
                throw new IOException("the server answered HTTP " + code);
            }
            try (InputStream in = response.getEntity().getContent(); OutputStream out = Files.newOutputStream(file)) {
                return new Answer(null, copyHashed(in, out));
            }
        });
    }

    /** The next hop: {@code location} resolved against {@code from}; only an https URL is followed. */
    private static URI redirectTarget(URI from, String location) throws ModuleFailure {
        URI next;
        try {
            next = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ModuleFailure("download of " + Urls.shown(from) + " was redirected to a malformed URL; refused");
        }
        try {
            Urls.requireHttps("the redirect from " + Urls.shown(from), next);
        } catch (IllegalArgumentException e) {
            throw new ModuleFailure("download refused: " + e.getMessage());
        }
        return next;
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

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is removed at the next start
        }
    }
}
