package com.cloudextender.modules.traveler.api;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.support.http.ModuleHttp;
import com.cloudextender.modules.traveler.api.TravelerException.Reason;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.net.URIBuilder;

/**
 * The Traveler administration REST API over {@link ModuleHttp} (the extender's proxy decision, verified
 * TLS, time limits): every request carries the Domino credentials (HTTP Basic, sent at once rather than
 * after a challenge, and only ever to the configured server since redirects are not followed) and asks
 * for JSON. Answers are read as they stream in; anything but a JSON answer with a 2xx status becomes a
 * typed {@link TravelerException} naming the request and what came back. Thread-safe.
 */
public final class TravelerClient implements AutoCloseable {
    /** The longest error body read for a message; the rest is not needed to name the failure. */
    private static final int ERROR_BODY_LIMIT = 16 * 1024;

    private final ModuleHttp http;
    private final URI server;
    private final String apiPath;
    private final String username;
    private final String authorization;

    /** Reads a JSON answer from a parser positioned before its first token. */
    @FunctionalInterface
    public interface JsonReader<T> {
        T read(JsonParser parser) throws Exception;
    }

    public TravelerClient(ModuleHttp http, TravelerSettings settings) {
        this.http = http;
        this.server = settings.server();
        this.apiPath = settings.apiPath();
        this.username = settings.username();
        this.authorization = basic(settings.username(), settings.password());
    }

    /** A client on a new {@link ModuleHttp} routed by {@code proxies}. */
    public static TravelerClient open(TravelerSettings settings, OutboundProxies proxies) throws IOException {
        ModuleHttp http = ModuleHttp.open(proxies, settings.trustStore(),
                new ModuleHttp.Options(settings.connectTimeout(), settings.timeout(), 8));
        return new TravelerClient(http, settings);
    }

    /** The server, for results and messages. */
    public URI server() {
        return server;
    }

    /** GETs {@code resource} with {@code query} and lets {@code reader} stream the JSON answer. */
    public <T> T get(String resource, Map<String, String> query, JsonReader<T> reader)
            throws TravelerException, InterruptedException {
        return exchange(new HttpGet(uri(resource, query)), reader);
    }

    /** GETs {@code resource} and returns its answer, which must be a JSON object. */
    public ObjectNode getObject(String resource, Map<String, String> query) throws TravelerException, InterruptedException {
        return get(resource, query, p -> object(p, "GET " + resource));
    }

    /** POSTs {@code body} to {@code resource}; the answer's JSON object, or an empty one when it had no body. */
    public ObjectNode post(String resource, ObjectNode body) throws TravelerException, InterruptedException {
        HttpPost post = new HttpPost(uri(resource, Map.of()));
        post.setEntity(new StringEntity(Json.text(body), ContentType.APPLICATION_JSON));
        return exchange(post, p -> object(p, "POST " + resource));
    }

    /** PUTs {@code body} to {@code resource}; the answer's JSON object, or an empty one when it had no body. */
    public ObjectNode put(String resource, ObjectNode body) throws TravelerException, InterruptedException {
        HttpPut put = new HttpPut(uri(resource, Map.of()));
        put.setEntity(new StringEntity(Json.text(body), ContentType.APPLICATION_JSON));
        return exchange(put, p -> object(p, "PUT " + resource));
    }

    /** DELETEs {@code resource} with {@code query}; the answer's JSON object, or an empty one. */
    public ObjectNode delete(String resource, Map<String, String> query) throws TravelerException, InterruptedException {
        return exchange(new HttpDelete(uri(resource, query)), p -> object(p, "DELETE " + resource));
    }

    private <T> T exchange(HttpUriRequestBase request, JsonReader<T> reader) throws TravelerException, InterruptedException {
        request.setHeader("Authorization", authorization);
        request.setHeader("Accept", "application/json");
        String what = request.getMethod() + " " + request.getPath().replaceAll("\\?.*", "");
        try {
            return http.execute(request, response -> handle(response, what, reader));
        } catch (Carrier c) {
            if (c.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw (TravelerException) c.getCause();
        } catch (InterruptedIOException e) {
            // Socket and connect time-outs are InterruptedIOExceptions too; only a set flag means cancellation.
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled during " + what);
            }
            String phase = e instanceof ConnectTimeoutException ? "could not connect" : "no answer";
            throw new TravelerException(Reason.TIMEOUT, what + " on " + server + ": " + phase
                    + " within the time limit (" + e.getMessage() + "); raise " + (e instanceof ConnectTimeoutException
                    ? "connectTimeout" : "timeout") + " if the server is slow", e);
        } catch (SSLException e) {
            throw new TravelerException(Reason.UNREACHABLE, what + " on " + server + ": TLS failed (" + e.getMessage()
                    + "); if the server's certificate comes from a private CA, give it in trustStore", e);
        } catch (UnknownHostException | ConnectException | NoRouteToHostException e) {
            throw new TravelerException(Reason.UNREACHABLE, what + ": cannot reach " + server + " (" + e + ")", e);
        } catch (JsonProcessingException e) {
            throw new TravelerException(Reason.GARBAGE, what + " on " + server + ": the answer is not well-formed JSON ("
                    + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new TravelerException(Reason.UNREACHABLE, what + " on " + server + " failed: " + e, e);
        }
    }

    private <T> T handle(ClassicHttpResponse response, String what, JsonReader<T> reader) throws IOException {
        int status = response.getCode();
        HttpEntity entity = response.getEntity();
        String type = entity == null || entity.getContentType() == null ? "" : entity.getContentType().toLowerCase(Locale.ROOT);
        if (status < 200 || status >= 300) {
            throw new Carrier(failure(response, status, type, what, entity));
        }
        boolean empty = entity == null || entity.getContentLength() == 0 || status == 204;
        if (!empty && !type.startsWith("application/json")) {
            String body = prefix(entity);
            String shown = type.startsWith("text/html") || body.stripLeading().startsWith("<")
                    ? "an HTML page" + title(body) : "'" + (type.isEmpty() ? "no content type" : type) + "'";
            throw new Carrier(new TravelerException(Reason.GARBAGE, what + " on " + server + ": answered with " + shown
                    + " instead of JSON; Domino may be asking for a form login (session authentication must allow "
                    + "Basic for " + apiPath + "), or the Traveler administration API is not enabled"));
        }
        try (InputStream in = empty ? InputStream.nullInputStream() : entity.getContent();
             JsonParser parser = Json.MAPPER.getFactory().createParser(in)) {
            return reader.read(parser);
        } catch (IOException e) {
            throw e;
        } catch (TravelerException | InterruptedException e) {
            throw new Carrier(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Carrier(new TravelerException(Reason.GARBAGE, what + ": " + e.getMessage(), e));
        }
    }

    private TravelerException failure(ClassicHttpResponse response, int status, String type, String what, HttpEntity entity)
            throws IOException {
        String body = entity == null ? "" : prefix(entity);
        String said = serverMessage(body, type);
        String at = what + " on " + server;
        return switch (status) {
            case 401 -> new TravelerException(Reason.AUTHENTICATION, at + ": the server refused the Domino credentials of '"
                    + username + "' (HTTP 401); check username and password, and that the server accepts Basic "
                    + "authentication for " + apiPath, null).withStatus(status);
            case 403 -> new TravelerException(Reason.PERMISSION, at + ": '" + username + "' may not do this (HTTP 403"
                    + said + "); device actions need the Administrator role in the ACL of LotusTraveler.nsf")
                    .withStatus(status);
            case 400 -> new TravelerException(Reason.INVALID_PARAMETER, at + ": the server refused the request as "
                    + "malformed (HTTP 400" + said + ")").withStatus(status);
            case 404 -> new TravelerException(Reason.SERVER_ERROR, at + ": not found (HTTP 404" + said + ")").withStatus(status);
            case 301, 302, 303, 307, 308 -> {
                Header location = response.getFirstHeader("Location");
                yield new TravelerException(Reason.SERVER_ERROR, at + ": redirected (HTTP " + status + ") to "
                        + (location == null ? "nowhere" : location.getValue()) + "; redirects are not followed (they "
                        + "could carry the credentials elsewhere): a redirect to a login form means the server asks for "
                        + "session authentication; otherwise set server to the address the API answers at").withStatus(status);
            }
            default -> new TravelerException(Reason.SERVER_ERROR, at + ": HTTP " + status
                    + (said.isEmpty() ? " " + response.getReasonPhrase() : said.replaceFirst("^, ", ": "))).withStatus(status);
        };
    }

    /** The server's own words: a JSON error's message, an HTML page's title, else the start of the text. */
    private static String serverMessage(String body, String type) {
        if (body.isBlank()) {
            return "";
        }
        if (type.startsWith("application/json")) {
            try {
                JsonNode n = Json.MAPPER.readTree(body);
                for (String f : new String[]{"message", "error", "errorMessage", "detail"}) {
                    if (n.hasNonNull(f) && n.get(f).isValueNode()) {
                        return ", the server says: " + clean(n.get(f).asText());
                    }
                }
            } catch (IOException e) {
                // not JSON after all: shown as text below
            }
        }
        if (type.startsWith("text/html") || body.stripLeading().startsWith("<")) {
            return ", an HTML page" + title(body);
        }
        return ", the server says: " + clean(body);
    }

    private static String title(String html) {
        int a = html.toLowerCase(Locale.ROOT).indexOf("<title>");
        int b = html.toLowerCase(Locale.ROOT).indexOf("</title>");
        return a >= 0 && b > a ? " titled '" + clean(html.substring(a + 7, b)) + "'" : "";
    }

    private static String clean(String text) {
        String t = text.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static String prefix(HttpEntity entity) throws IOException {
        try (InputStream in = entity.getContent()) {
            return in == null ? "" : new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        }
    }

    /** The answer as one JSON object; an empty answer is an empty object. */
    private static ObjectNode object(JsonParser p, String what) throws IOException, TravelerException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return Json.object();
        }
        if (t != JsonToken.START_OBJECT) {
            throw new TravelerException(Reason.GARBAGE, what + ": the answer is JSON but not an object (" + t + ")");
        }
        return p.readValueAsTree();
    }

    private URI uri(String resource, Map<String, String> query) {
        try {
            URIBuilder b = new URIBuilder(server).setPath(apiPath + "/" + resource);
            query.forEach(b::addParameter);
            return b.build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build a URL for " + resource + ": " + e.getMessage(), e);
        }
    }

    private static String basic(String user, char[] password) {
        byte[] pair = (user + ":" + new String(password)).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair);
    }

    @Override
    public void close() {
        http.close();
    }

    /** Carries a typed failure (or an interruption) out of the response handler, which may only throw IOException. */
    private static final class Carrier extends IOException {
        private static final long serialVersionUID = 1L;

        Carrier(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
