package com.cloudextender.modules.exchange.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WireMock on HTTPS (127.0.0.1) emulating Microsoft's token endpoint and the Exchange Online admin API
 * over an {@link InMemoryExchange}: {@code InvokeCommand} bodies are read, the cmdlet is run, output is
 * paged by the {@code Prefer: odata.maxpagesize} header with {@code @odata.nextLink}, warnings go into
 * {@code @adminapi.warnings}, errors come as the API's error bodies. Tokens are {@code token-1},
 * {@code token-2}, …; the admin API accepts only the newest one issued (older ones get 401, as an expired
 * token would). Faults (429 bursts, 503, garbage) are stubs of higher priority added by the tests.
 */
public final class FakeAdminApi implements AutoCloseable {
    public static final String TENANT = "contoso.onmicrosoft.com";
    public final InMemoryExchange exchange;
    public final WireMockServer server;
    private final AtomicInteger tokens = new AtomicInteger();
    /** How long each token claims to be valid. */
    public volatile int expiresIn = 3599;

    public FakeAdminApi(InMemoryExchange exchange, TestPki pki) {
        this.exchange = exchange;
        this.server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(pki.serverKeystore.toString()).keystorePassword(TestPki.PASSWORD)
                .keyManagerPassword(TestPki.PASSWORD).keystoreType("PKCS12")
                .containerThreads(16).extensions(new Tokens(), new Invoke()));
        server.start();
        server.stubFor(post(urlPathEqualTo("/" + TENANT + "/oauth2/v2.0/token"))
                .willReturn(aResponse().withTransformers("tokens")));
        server.stubFor(post(urlPathMatching("/adminapi/beta/[^/]+/InvokeCommand"))
                .willReturn(aResponse().withTransformers("invoke")));
    }

    public String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    /** The authority for the module: {@code <base>/} (the module appends the tenant). */
    public String authorityBase() {
        return baseUrl() + "/";
    }

    /** Tokens issued so far. */
    public int tokensIssued() {
        return tokens.get();
    }

    /** Makes every issued token invalid, as if they had expired: the next admin call gets a 401. */
    public void expireTokens() {
        tokens.incrementAndGet();
    }

    /** InvokeCommand requests received so far. */
    public int invokeRequests() {
        return server.countRequestsMatching(postRequestedFor(urlPathMatching("/adminapi/beta/.*")).build()).getCount();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Tokens implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String body = event.getRequest().getBodyAsString();
            if (!body.contains("client_assertion=") || !body.contains("grant_type=client_credentials")) {
                return json(400, "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS900144: missing client_assertion\"}");
            }
            int n = tokens.incrementAndGet();
            return json(200, "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"ext_expires_in\":" + expiresIn
                    + ",\"access_token\":\"token-" + n + "\"}");
        }

        @Override
        public String getName() {
            return "tokens";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

    private final class Invoke implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request r = event.getRequest();
            if (!("Bearer token-" + tokens.get()).equals(r.getHeader("Authorization"))) {
                return json(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired or is not yet valid.\"}}");
            }
            if (!r.containsHeader("X-AnchorMailbox")) {
                return json(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"X-AnchorMailbox header is missing\"}}");
            }
            try {
                JsonNode body = InMemoryExchange.JSON.readTree(r.getBodyAsString());
                String cmdlet = body.path("CmdletInput").path("CmdletName").asText();
                ObjectNode params = normalise(body.path("CmdletInput").path("Parameters"));
                InMemoryExchange.Result result = exchange.run(cmdlet, params);
                if (result.error() != null) {
                    InMemoryExchange.Error e = result.error();
                    int status = e.category().equals("ObjectNotFound") ? 404 : 400;
                    ObjectNode err = InMemoryExchange.JSON.createObjectNode();
                    ObjectNode o = err.putObject("error");
                    o.put("code", "BadRequest");
                    o.put("message", "|" + e.type() + "|" + e.message());
                    o.putArray("details").addObject().put("code", "Exchange.Error").put("message", e.message());
                    o.putObject("innererror").put("message", e.message()).put("type", e.type());
                    return json(status, err.toString());
                }
                int pageSize = pageSize(r.getHeader("Prefer"));
                int skip = r.queryParameter("$skiptoken").isPresent()
                        ? Integer.parseInt(r.queryParameter("$skiptoken").firstValue()) : 0;
                List<ObjectNode> all = result.objects();
                ObjectNode page = InMemoryExchange.JSON.createObjectNode();
                page.put("@odata.context", baseUrl() + "/adminapi/beta/" + TENANT + "/$metadata#Collection(Exchange.GenericHashTable)");
                if (skip + pageSize < all.size()) {
                    page.put("@odata.nextLink", baseUrl() + "/adminapi/beta/" + TENANT + "/InvokeCommand?$skiptoken=" + (skip + pageSize));
                }
                if (!result.warnings().isEmpty()) {
                    ArrayNode w = page.putArray("@adminapi.warnings");
                    result.warnings().forEach(w::add);
                }
                ArrayNode value = page.putArray("value");
                for (int i = skip; i < Math.min(all.size(), skip + pageSize); i++) {
                    value.add(all.get(i));
                }
                return json(200, page.toString());
            } catch (IOException e) {
                return json(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"The request body is not JSON\"}}");
            }
        }

        @Override
        public String getName() {
            return "invoke";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

    private static int pageSize(String prefer) {
        if (prefer == null || !prefer.contains("odata.maxpagesize=")) {
            return 100;
        }
        return Integer.parseInt(prefer.substring(prefer.indexOf('=') + 1).trim());
    }

    /** The admin API's parameter JSON to InMemoryExchange's normal form. */
    static ObjectNode normalise(JsonNode params) {
        ObjectNode out = InMemoryExchange.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (v.isObject() && v.has("@odata.type")) {
                ObjectNode h = out.putObject(e.getKey());
                h.set("add", v.has("Add") ? v.get("Add") : InMemoryExchange.JSON.createArrayNode());
                h.set("remove", v.has("Remove") ? v.get("Remove") : InMemoryExchange.JSON.createArrayNode());
            } else {
                out.set(e.getKey(), v);
            }
        }
        return out;
    }

    private static ResponseDefinition json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; odata.metadata=minimal")
                .withBody(body).build();
    }
}
