package com.cloudextender.modules.traveler.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WireMock on loopback HTTPS emulating the Traveler administration REST API over an
 * {@link InMemoryTraveler}, with the resources and JSON shapes of the module README: Basic
 * authentication (a wrong password gets Domino's 401 HTML page), {@code GET devices} with paging and
 * filters, {@code POST security}, {@code DELETE devices}, {@code GET/PUT settings/approval},
 * {@code GET policies}, {@code GET settings/default}; errors as JSON {@code {"code","message"}}. The
 * catch-all stub has a low priority, so a test adds faults (status, HTML, delays, broken bodies) with
 * {@link #server} stubs of priority 1.
 */
public final class FakeTravelerServer implements AutoCloseable {
    public static final String USER = "CN=Traveler Admin/O=Acme";
    public static final String PASSWORD = "s3cret pass";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final WireMockServer server;
    public final InMemoryTraveler traveler;
    private final AtomicInteger deviceListRequests = new AtomicInteger();

    public FakeTravelerServer(InMemoryTraveler traveler, TestTls tls) {
        this.traveler = traveler;
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(tls.keystore.toString()).keystorePassword(TestTls.PASSWORD)
                .keyManagerPassword(TestTls.PASSWORD).keystoreType("PKCS12").containerThreads(12)
                .extensions(new Api()));
        server.start();
        server.stubFor(any(urlPathMatching("/api/traveler/.*")).atPriority(10).willReturn(aResponse().withTransformers("traveler")));
    }

    /** {@code https://127.0.0.1:<port>}: the module's {@code server}. */
    public String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    /** How many device list requests were answered (pages and look-ups). */
    public int deviceListRequests() {
        return deviceListRequests.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Api implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request r = event.getRequest();
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(r.getHeader("Authorization"))) {
                return aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"/api/traveler\"")
                        .withHeader("Content-Type", "text/html; charset=UTF-8")
                        .withBody("<html><head><title>Error</title></head><body>HTTP Web Server: You are not authorized "
                                + "to access this resource</body></html>").build();
            }
            String path = r.getUrl().replaceAll("\\?.*", "").substring("/api/traveler/".length());
            String method = r.getMethod().getName();
            try {
                synchronized (traveler) {
                    return switch (method + " " + path) {
                        case "GET devices" -> devices(r);
                        case "DELETE devices" -> remove(r);
                        case "POST security" -> security(r);
                        case "GET settings/approval" -> json(200, approval());
                        case "PUT settings/approval" -> putApproval(r);
                        case "GET policies" -> json(200, policies());
                        case "GET settings/default" -> json(200, JSON.createObjectNode().put("name", "Default Settings")
                                .put("requireApproval", traveler.requireApproval).put("passwordRequired", true)
                                .put("minPasswordLength", 6).put("maxInactivityMinutes", 15));
                        default -> error(404, "No resource " + method + " /api/traveler/" + path);
                    };
                }
            } catch (Exception e) {
                return error(500, "Internal error: " + e.getMessage());
            }
        }

        private ResponseDefinition devices(Request r) {
            deviceListRequests.incrementAndGet();
            Optional<String> user = param(r, "username");
            Optional<String> id = param(r, "deviceid");
            List<InMemoryTraveler.Reg> all = new ArrayList<>();
            for (InMemoryTraveler.Reg d : traveler.all()) {
                if (user.map(u -> u.equalsIgnoreCase(d.user)).orElse(true) && id.map(d.deviceId::equals).orElse(true)) {
                    all.add(d);
                }
            }
            int start = param(r, "start").map(Integer::parseInt).orElse(0);
            int count = param(r, "count").map(Integer::parseInt).orElse(Integer.MAX_VALUE);
            ObjectNode o = JSON.createObjectNode();
            o.put("total", all.size());
            o.put("start", start);
            ArrayNode a = o.putArray("devices");
            for (int i = start; i < all.size() && i - start < count; i++) {
                a.add(device(all.get(i)));
            }
            o.put("count", a.size());
            return json(200, o);
        }

        private ResponseDefinition remove(Request r) {
            Optional<String> user = param(r, "username");
            Optional<String> id = param(r, "deviceid");
            if (user.isEmpty() || id.isEmpty()) {
                return error(400, "username and deviceid are required");
            }
            if (traveler.get(user.get(), id.get()) == null) {
                return error(404, "Device not found");
            }
            if (!traveler.ignoreChanges) {
                traveler.remove(user.get(), id.get());
            }
            return json(200, JSON.createObjectNode().put("status", "OK"));
        }

        private ResponseDefinition security(Request r) throws Exception {
            JsonNode b = JSON.readTree(r.getBodyAsString());
            InMemoryTraveler.Reg d = traveler.get(b.path("userName").asText(), b.path("deviceId").asText());
            if (d == null) {
                return error(404, "Device not found");
            }
            String action = b.path("action").asText();
            List<String> options = new ArrayList<>();
            b.path("wipeOptions").forEach(o -> options.add(o.asText()));
            if (action.equals("wipe")) {
                if (options.isEmpty()) {
                    return error(400, "wipeOptions are required");
                }
                for (String o : options) {
                    if (d.wipeSupported.stream().noneMatch(s -> s.equalsIgnoreCase(o))) {
                        return error(400, "Wipe option " + o + " is not supported by this device");
                    }
                }
            } else if (!List.of("approve", "deny", "clear").contains(action)) {
                return error(400, "Unknown action " + action);
            }
            if (!traveler.ignoreChanges) {
                switch (action) {
                    case "approve" -> d.approval = "Approved";
                    case "deny" -> d.access = "Deny";
                    case "wipe" -> {
                        d.wipeStatus = "Pending";
                        d.wipeOptions = options;
                        d.access = "Deny"; // a wiped device may not connect until the wipe is cleared
                    }
                    default -> {
                        d.access = "Allow";
                        d.wipeStatus = "None";
                        d.wipeOptions = new ArrayList<>();
                    }
                }
            }
            return json(200, JSON.createObjectNode().put("status", "OK"));
        }

        private ObjectNode approval() {
            ObjectNode o = JSON.createObjectNode();
            o.put("requireApproval", traveler.requireApproval);
            o.put("devicesBeforeApproval", traveler.devicesBeforeApproval);
            ArrayNode a = o.putArray("notifyAddresses");
            traveler.notifyAddresses.forEach(a::add);
            return o;
        }

        private ResponseDefinition putApproval(Request r) throws Exception {
            JsonNode b = JSON.readTree(r.getBodyAsString());
            if (b.has("devicesBeforeApproval") && !b.get("devicesBeforeApproval").canConvertToInt()) {
                return error(400, "devicesBeforeApproval must be a number");
            }
            if (!traveler.ignoreChanges) {
                if (b.has("requireApproval")) {
                    traveler.requireApproval = b.get("requireApproval").asBoolean();
                }
                if (b.has("devicesBeforeApproval")) {
                    traveler.devicesBeforeApproval = b.get("devicesBeforeApproval").asInt();
                }
                if (b.has("notifyAddresses")) {
                    List<String> n = new ArrayList<>();
                    b.get("notifyAddresses").forEach(x -> n.add(x.asText()));
                    traveler.notifyAddresses = n;
                }
            }
            return json(200, approval());
        }

        private ObjectNode policies() {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode a = o.putArray("policies");
            a.addObject().put("name", "Sales Mobile").put("type", "Traveler").putObject("settings")
                    .put("passwordRequired", true).put("minPasswordLength", 8);
            a.addObject().put("name", "Executives").put("type", "Traveler").putObject("settings")
                    .put("passwordRequired", true).put("requireEncryption", true);
            return o;
        }

        private ObjectNode device(InMemoryTraveler.Reg d) {
            ObjectNode o = JSON.createObjectNode();
            o.put("userName", d.user);
            o.put("deviceId", d.deviceId);
            o.put("deviceName", d.name);
            o.put("deviceType", d.type);
            o.put("os", d.os);
            o.put("clientType", d.clientType);
            o.put("clientVersion", d.clientVersion);
            o.put("lastSync", d.lastSync);
            o.put("state", d.state);
            o.put("access", d.access);
            o.put("approval", d.approval);
            ObjectNode w = o.putObject("wipe");
            w.put("status", d.wipeStatus);
            ArrayNode opts = w.putArray("options");
            d.wipeOptions.forEach(opts::add);
            ArrayNode sup = o.putArray("wipeOptionsSupported");
            d.wipeSupported.forEach(sup::add);
            o.put("policy", d.policy);
            return o;
        }

        private Optional<String> param(Request r, String name) {
            var p = r.queryParameter(name);
            return p.isPresent() ? Optional.of(p.firstValue()) : Optional.empty();
        }

        private ResponseDefinition json(int status, JsonNode body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                    .withBody(body.toString()).build();
        }

        private ResponseDefinition error(int status, String message) {
            return json(status, JSON.createObjectNode().put("code", status).put("message", message));
        }

        @Override
        public String getName() {
            return "traveler";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

}
