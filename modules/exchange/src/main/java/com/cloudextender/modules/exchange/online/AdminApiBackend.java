package com.cloudextender.modules.exchange.online;

import com.cloudextender.modules.support.http.HttpAnswer;
import com.cloudextender.modules.support.http.ModuleHttp;
import com.cloudextender.modules.exchange.cmdlet.AddRemove;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.exchange.cmdlet.ServerVersion;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchange Online through the REST admin API that Microsoft's ExchangeOnlineManagement module uses:
 * {@code POST <base>/adminapi/beta/<tenant>/InvokeCommand} with
 * {@code {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}}. Output objects come in {@code value},
 * pages continue at {@code @odata.nextLink} (only on the same host: the token never goes elsewhere),
 * warnings in {@code @adminapi.warnings}. 429 is retried after {@code Retry-After}, 5xx after a capped
 * exponential backoff, a 401 once with a new token. The next page is fetched while the current one is
 * handled. Thread-safe.
 */
public final class AdminApiBackend implements ExchangeBackend {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApiBackend.class);

    private final ModuleHttp http;
    private final TokenSource tokens;
    private final URI invokeUri;
    private final String anchorMailbox;
    private final int pageSize;
    private final int maxRetries;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong retryAfterMaxSeconds = new AtomicLong();

    /** Waits between retries; tests replace it to count waits without waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * @param baseUrl       for example {@code https://outlook.office365.com}
     * @param tenant        the tenant's id or initial domain
     * @param anchorMailbox the {@code X-AnchorMailbox} value that routes organisation-wide cmdlets
     */
    public AdminApiBackend(ModuleHttp http, TokenSource tokens, String baseUrl, String tenant, String anchorMailbox,
                           int pageSize, int maxRetries, Duration maxBackoff, Sleeper sleeper) {
        this.http = http;
        this.tokens = tokens;
        this.invokeUri = URI.create(baseUrl.replaceAll("/+$", "") + "/adminapi/beta/" + tenant + "/InvokeCommand");
        this.anchorMailbox = anchorMailbox;
        this.pageSize = pageSize;
        this.maxRetries = maxRetries;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
    }

    @Override
    public String kind() {
        return "online";
    }

    @Override
    public ServerVersion version() {
        return ServerVersion.ONLINE;
    }

    @Override
    public void checkAuthentication() throws ExchangeException, InterruptedException {
        tokens.token(false);
    }

    @Override
    public ObjectNode throttling() {
        ObjectNode o = Json.object();
        o.put("throttledResponses", throttled.get());
        o.put("serverErrors", serverErrors.get());
        o.put("longestRetryAfterSeconds", retryAfterMaxSeconds.get());
        o.put("maxRetries", maxRetries);
        o.put("maxBackoffSeconds", maxBackoff.toSeconds());
        o.put("pageSize", pageSize);
        return o;
    }

    /**
     * Streams every page. The next page is asked for as soon as the current one's next link is known,
     * on a thread of this call's own, while the current page is parsed and its objects handled: reading
     * then costs about the larger of the transfer and the handling, not their sum. At most two pages
     * are in memory.
     */
    @Override
    public List<String> stream(CmdletCall call, ObjectSink objects) throws ExchangeException, InterruptedException {
        byte[] body = Json.text(requestBody(call)).getBytes(StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        ExecutorService ahead = null;
        Future<HttpAnswer> nextPage = null;
        try {
            HttpAnswer answer = send(call, invokeUri, body);
            while (true) {
                URI next = nextLinkOf(call, answer.body());
                if (next != null) {
                    if (ahead == null) {
                        ahead = Executors.newSingleThreadExecutor(r -> {
                            Thread t = new Thread(r, "exchange-admin-api-next-page");
                            t.setDaemon(true);
                            return t;
                        });
                    }
                    nextPage = ahead.submit(() -> send(call, next, body));
                }
                readPage(call, answer.body(), objects, warnings);
                if (next == null) {
                    return warnings;
                }
                answer = await(nextPage);
                nextPage = null;
            }
        } finally {
            if (nextPage != null) {
                nextPage.cancel(true);
            }
            if (ahead != null) {
                ahead.shutdownNow();
            }
        }
    }

    private static HttpAnswer await(Future<HttpAnswer> page) throws ExchangeException, InterruptedException {
        try {
            return page.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ExchangeException ee) {
                throw ee;
            }
            if (c instanceof InterruptedException ie) {
                throw ie;
            }
            throw new ExchangeException(Reason.UNREACHABLE, "reading the next page failed: " + c, c);
        }
    }

    /** The page's {@code @odata.nextLink}, found by skipping over everything else without building it. */
    URI nextLinkOf(CmdletCall call, byte[] body) throws ExchangeException {
        String cmd = call.cmdlet().cmdletName();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw garbage(cmd, body);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("@odata.nextLink")) {
                    return nextLink(cmd, p.getValueAsString());
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw garbage(cmd, body);
        }
    }

    /** {@code {"CmdletInput":{"CmdletName","Parameters"}}} with each value in the admin API's JSON form. */
    static ObjectNode requestBody(CmdletCall call) {
        ObjectNode root = Json.object();
        ObjectNode input = root.putObject("CmdletInput");
        input.put("CmdletName", call.cmdlet().cmdletName());
        ObjectNode params = input.putObject("Parameters");
        call.parameters().forEach((name, value) -> {
            if (value instanceof String s) {
                params.put(name, s);
            } else if (value instanceof Boolean b) {
                params.put(name, b);
            } else if (value instanceof Integer i) {
                params.put(name, i);
            } else if (value instanceof CmdletCall.Unlimited) {
                params.put(name, "Unlimited");
            } else if (value instanceof AddRemove ar) {
                ObjectNode h = params.putObject(name);
                h.put("@odata.type", "#Exchange.GenericHashTable");
                if (!ar.add().isEmpty()) {
                    ar.add().forEach(h.putArray("Add")::add);
                }
                if (!ar.remove().isEmpty()) {
                    ar.remove().forEach(h.putArray("Remove")::add);
                }
            } else if (value instanceof List<?> list) {
                ArrayNode a = params.putArray(name);
                list.forEach(v -> a.add((String) v));
            }
        });
        return root;
    }

    private HttpAnswer send(CmdletCall call, URI uri, byte[] body) throws ExchangeException, InterruptedException {
        boolean renewed = false;
        int attempt = 0;
        while (true) {
            HttpPost post = new HttpPost(uri);
            post.setHeader("Authorization", "Bearer " + tokens.token(renewed && attempt == 0));
            post.setHeader("Accept", "application/json");
            post.setHeader("Prefer", "odata.maxpagesize=" + pageSize);
            post.setHeader("X-AnchorMailbox", anchorMailbox);
            post.setHeader("X-CmdletName", call.cmdlet().cmdletName());
            post.setHeader("X-ResponseFormat", "json");
            post.setHeader("client-request-id", UUID.randomUUID().toString());
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
            HttpAnswer a;
            try {
                a = http.send(post);
            } catch (IOException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("cancelled during " + call.cmdlet().cmdletName());
                }
                if (attempt++ < maxRetries && !call.cmdlet().changes()) {
                    sleeper.sleep(backoff(attempt));
                    continue;
                }
                throw new ExchangeException(Reason.UNREACHABLE, "cannot reach the Exchange admin API at "
                        + invokeUri.getHost() + ": " + e.getMessage() + "; check the network and the proxy settings", e);
            }
            int s = a.status();
            if (s >= 200 && s < 300) {
                return a;
            }
            if (s == 401 && !renewed) {
                renewed = true; // the token expired or was revoked early: one new token, then give up
                attempt = 0;
                LOG.info("Exchange admin API answered 401 to {}; fetching a new token", call.cmdlet().cmdletName());
                continue;
            }
            if (s == 429 && attempt < maxRetries) {
                throttled.incrementAndGet();
                Duration wait = retryAfter(a).orElse(backoff(attempt + 1));
                retryAfterMaxSeconds.accumulateAndGet(wait.toSeconds(), Math::max);
                attempt++;
                LOG.info("Exchange admin API throttled {} (429); retrying in {} ms ({} of {})",
                        call.cmdlet().cmdletName(), wait.toMillis(), attempt, maxRetries);
                sleeper.sleep(wait);
                continue;
            }
            if (s >= 500 && attempt < maxRetries) {
                serverErrors.incrementAndGet();
                attempt++;
                Duration wait = s == 503 ? retryAfter(a).orElse(backoff(attempt)) : backoff(attempt);
                LOG.info("Exchange admin API answered {} to {}; retrying in {} ms ({} of {})", s,
                        call.cmdlet().cmdletName(), wait.toMillis(), attempt, maxRetries);
                sleeper.sleep(wait);
                continue;
            }
            throw failure(call, a);
        }
    }

    private Duration backoff(int attempt) {
        long millis = 500L << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    private java.util.Optional<Duration> retryAfter(HttpAnswer a) {
        return a.header("Retry-After").flatMap(v -> {
            try {
                long secs = Long.parseLong(v.trim());
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Math.min(secs, maxBackoff.toSeconds()))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty(); // an HTTP date: fall back to the backoff
            }
        });
    }

    /** The typed failure for an error answer, quoting the server's message. */
    static ExchangeException failure(CmdletCall call, HttpAnswer a) {
        String cmd = call.cmdlet().cmdletName();
        String message = errorMessage(a.body());
        int s = a.status();
        if (s == 401) {
            return new ExchangeException(Reason.AUTHENTICATION, cmd + ": the admin API refused the access token (401)"
                    + (message.isEmpty() ? "" : ": " + message) + "; check the application's Exchange.ManageAsApp permission");
        }
        if (s == 403) {
            return new ExchangeException(Reason.PERMISSION, cmd + ": the application may not run this cmdlet (403)"
                    + (message.isEmpty() ? "" : ": " + message) + "; assign it an Exchange role that includes " + cmd);
        }
        if (s == 429) {
            return new ExchangeException(Reason.THROTTLED, cmd + ": still throttled (429) after the retries; try again later");
        }
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("managementobjectnotfound") || lower.contains("couldn't be found")
                || lower.contains("could not be found") || lower.contains("wasn't found")) {
            return new ExchangeException(Reason.NOT_FOUND, cmd + ": " + message);
        }
        if (lower.contains("parameterbinding") || lower.contains("cannot bind") || lower.contains("cannot process argument")
                || lower.contains("cannot convert")) {
            return new ExchangeException(Reason.INVALID_PARAMETER, cmd + ": " + message);
        }
        return new ExchangeException(Reason.SERVER_ERROR, cmd + ": the admin API answered HTTP " + s
                + (message.isEmpty() ? " without an error message" : ": " + message));
    }

    /** The error body's message (error.message, details and innererror), or the start of a body that is not JSON. */
    static String errorMessage(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            JsonNode e = n.path("error");
            StringBuilder sb = new StringBuilder(e.path("message").asText(""));
            for (JsonNode d : e.path("details")) {
                String m = d.path("message").asText("");
                if (!m.isEmpty() && sb.indexOf(m) < 0) {
                    sb.append(sb.length() > 0 ? "; " : "").append(m);
                }
            }
            JsonNode inner = e.path("innererror");
            String type = inner.path("type").asText("");
            String im = inner.path("message").asText("");
            if (!im.isEmpty() && sb.indexOf(im) < 0) {
                sb.append(sb.length() > 0 ? "; " : "").append(im);
            }
            if (!type.isEmpty()) {
                sb.append(" [").append(type).append(']');
            }
            return sb.toString();
        } catch (IOException ex) {
            return "a body that is not JSON: " + printable(body);
        }
    }

    private static String printable(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Streams one page: each object of {@code value} to {@code objects} as it is parsed, warnings collected. */
    void readPage(CmdletCall call, byte[] body, ObjectSink objects, List<String> warnings)
            throws ExchangeException, InterruptedException {
        String cmd = call.cmdlet().cmdletName();
        boolean sawValue = false;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw garbage(cmd, body);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "value" -> {
                        if (t == JsonToken.START_OBJECT) { // a single object instead of an array
                            sawValue = true;
                            objects.accept(Json.MAPPER.readTree(p));
                            continue;
                        }
                        if (t != JsonToken.START_ARRAY) {
                            throw garbage(cmd, body);
                        }
                        sawValue = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            objects.accept(Json.MAPPER.readTree(p));
                            if (Thread.interrupted()) {
                                throw new InterruptedException("cancelled while reading " + cmd);
                            }
                        }
                        if (p.currentToken() != JsonToken.END_ARRAY) {
                            throw garbage(cmd, body);
                        }
                    }
                    case "@adminapi.warnings" -> {
                        JsonNode w = Json.MAPPER.readTree(p);
                        w.forEach(x -> warnings.add(x.asText()));
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw garbage(cmd, body);
        }
        if (!sawValue) {
            throw garbage(cmd, body);
        }
    }

    private URI nextLink(String cmd, String link) throws ExchangeException {
        if (link == null) { // an object or an array where the link should be
            throw new ExchangeException(Reason.GARBAGE, cmd + ": the next-page link is not a URL");
        }
        try {
            URI u = URI.create(link);
            if (!"https".equalsIgnoreCase(u.getScheme()) || !invokeUri.getHost().equalsIgnoreCase(u.getHost())
                    || invokeUri.getPort() != u.getPort()) {
                throw new ExchangeException(Reason.GARBAGE, cmd + ": the next page is on another server ("
                        + u.getScheme() + "://" + u.getHost() + "); refused, the access token is only sent to "
                        + invokeUri.getHost());
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new ExchangeException(Reason.GARBAGE, cmd + ": the next-page link is not a URL");
        }
    }

    private static ExchangeException garbage(String cmd, byte[] body) {
        return new ExchangeException(Reason.GARBAGE, cmd + ": the admin API answered with something that is not "
                + "an output page (" + body.length + " bytes, starting " + printable(body) + ")");
    }

    @Override
    public void close() {
        http.close();
    }
}
