package com.cloudextender.devcloud.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.tls.TlsIdentity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CLI's client of a running dev cloud's console API: the URL, token and certificate come from the
 * data directory, and TLS verifies the server against that certificate (never "trust all").
 */
final class ConsoleClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiUrl;
    private final String token;
    private final HttpClient http;

    private ConsoleClient(URI apiUrl, String token, HttpClient http) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.http = http;
    }

    /** A client of the dev cloud whose data directory is {@code dataDir}. */
    static ConsoleClient forDataDir(Path dataDir) throws CliException {
        try {
            URI url = URI.create(Files.readString(dataDir.resolve(DevCloud.API_URL_FILE), StandardCharsets.UTF_8).trim());
            String token = Files.readString(dataDir.resolve(DevCloud.CONSOLE_TOKEN_FILE), StandardCharsets.UTF_8).trim();
            SSLContext tls = trusting(dataDir.resolve(TlsIdentity.CERTIFICATE_PEM_FILE));
            HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            return new ConsoleClient(url, token, http);
        } catch (NoSuchFileException e) {
            throw new CliException("no running dev cloud uses " + dataDir.toAbsolutePath() + " (missing " + e.getFile()
                    + "); start one with 'serve --data-dir " + dataDir + "'");
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot read the dev cloud's files in " + dataDir + ": " + e.getMessage());
        }
    }

    /** An SSL context that trusts exactly the certificate in {@code pem}. */
    static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("dev-cloud-" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    JsonNode get(String path) throws CliException {
        return call(HttpRequest.newBuilder(apiUrl.resolve(path)).GET(), path);
    }

    JsonNode post(String path, JsonNode body) throws CliException {
        return call(HttpRequest.newBuilder(apiUrl.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), path);
    }

    JsonNode postBytes(String path, byte[] body) throws CliException {
        return call(HttpRequest.newBuilder(apiUrl.resolve(path)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), path);
    }

    JsonNode put(String path, JsonNode body) throws CliException {
        return call(HttpRequest.newBuilder(apiUrl.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())), path);
    }

    void delete(String path) throws CliException {
        call(HttpRequest.newBuilder(apiUrl.resolve(path)).DELETE(), path);
    }

    private JsonNode call(HttpRequest.Builder request, String path) throws CliException {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException("the dev cloud at " + apiUrl + " does not answer; is it running?");
        } catch (IOException e) {
            throw new CliException("calling " + apiUrl.resolve(path) + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("the dev cloud answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 400) {
            throw new CliException("the dev cloud answered " + response.statusCode() + ": "
                    + body.path("error").asText(response.body()));
        }
        return body;
    }

    static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }
}
