package com.cloudextender.devcloud;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An HTTPS client of a dev cloud's API that trusts only the dev cloud's certificate. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    Api(DevCloud cloud) throws IOException, GeneralSecurityException {
        this.base = cloud.apiUrl();
        this.http = HttpClient.newBuilder().sslContext(TestTls.trusting(cloud.certificatePem()))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A response with its status and body. */
    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    Response post(String path, String body, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request, bearer);
    }

    Response get(String path, String bearer) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET(), bearer);
    }

    Response send(HttpRequest.Builder request, String bearer) throws IOException, InterruptedException {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response);
    }

    HttpClient http() {
        return http;
    }
}
