package com.cloudextender.modules.bes.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * WireMock on HTTPS (127.0.0.1) emulating a BES 5.0.4 BlackBerry Administration Service's BWS and
 * BWSUtil SOAP endpoints over an {@link InMemoryBes}, with the message shapes the module's README lists.
 * BWSUtil needs no authentication; BWS wants HTTP Basic with the name getEncodedUsername returned and
 * the administrator's password, else 401 with an HTML page, as the BAS's web server answers. A request
 * without complete {@code metadata} gets a SOAP fault. Per-item failures ({@link #failNext}) and changes
 * that report SUCCESS without being made ({@link #ignore}) are switched on by tests; transport faults
 * (SOAP faults, HTML pages, delays) are stubs of higher priority added by the tests.
 */
public final class FakeBws implements AutoCloseable {
    public static final String NS = "http://ws.rim.com/enterprise/admin";
    public static final String ADMIN = "admin";
    public static final String PASSWORD = "s3cret-pass";
    public static final String BWS_PATH = "/enterprise/admin/ws";
    public static final String UTIL_PATH = "/enterprise/admin/util/ws";

    public final InMemoryBes bes;
    public final WireMockServer server;
    /** Per operation, the code the next call's first item fails with. */
    public final Map<String, String> failNext = new ConcurrentHashMap<>();
    /** Operations that answer SUCCESS without changing anything. */
    public final Set<String> ignore = ConcurrentHashMap.newKeySet();
    /** Calls per operation. */
    public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Requests that carried complete metadata. */
    public final AtomicInteger withMetadata = new AtomicInteger();

    public FakeBws(InMemoryBes bes, TestPki pki) {
        this.bes = bes;
        this.server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(pki.serverKeystore.toString()).keystorePassword(TestPki.PASSWORD)
                .keyManagerPassword(TestPki.PASSWORD).keystoreType("PKCS12")
                .containerThreads(16).extensions(new Soap()));
        server.start();
        server.stubFor(post(urlPathEqualTo(BWS_PATH)).atPriority(5).willReturn(aResponse().withTransformers("bws")));
        server.stubFor(post(urlPathEqualTo(UTIL_PATH)).atPriority(5).willReturn(aResponse().withTransformers("bws")));
    }

    public String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    /** The encoded user name BWSUtil hands out for {@code user} (BES's shape: a prefix, then the name). */
    public static String encoded(String user) {
        return "5,0,0,1,1,0;" + user;
    }

    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    /** HTTP requests to BWS and BWSUtil so far. */
    public int requests() {
        return server.countRequestsMatching(postRequestedFor(urlPathEqualTo(BWS_PATH)).build()).getCount()
                + server.countRequestsMatching(postRequestedFor(urlPathEqualTo(UTIL_PATH)).build()).getCount();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Soap implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "bws";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            ResponseDefinition answer = answer(event.getRequest());
            Integer delay = event.getResponseDefinition().getFixedDelayMilliseconds();
            return delay == null ? answer : ResponseDefinitionBuilder.like(answer).withFixedDelay(delay).build();
        }

        private ResponseDefinition answer(Request r) {
            boolean util = r.getUrl().startsWith(UTIL_PATH);
            Element body;
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(true);
                Element env = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.getBody())).getDocumentElement();
                body = first(first(env, "Body"), null);
            } catch (Exception e) {
                return fault("soap:Client", "Unmarshalling Error: " + e.getMessage());
            }
            if (body == null || !NS.equals(body.getNamespaceURI())) {
                return fault("soap:Client", "no BWS request in the SOAP body");
            }
            String op = body.getLocalName();
            calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            Element md = first(body, "metadata");
            if (md == null || text(md, "clientVersion") == null || text(md, "locale") == null
                    || text(md, "organizationUid") == null) {
                return fault("soap:Client", "RequestMetadata is missing or incomplete");
            }
            withMetadata.incrementAndGet();
            if (!util) {
                String expected = "Basic " + Base64.getEncoder().encodeToString((encoded(ADMIN) + ":" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
                if (!expected.equals(r.getHeader("Authorization"))) {
                    return response(401, "text/html", "<html><head><title>401 Unauthorized</title></head><body>"
                            + "<h1>HTTP Status 401</h1></body></html>");
                }
            }
            StringBuilder out = new StringBuilder();
            synchronized (bes) {
                String status = util ? utilOp(op, body, out) : bwsOp(op, body, out);
                if (status == null) {
                    return fault("soap:Client", "Unknown operation " + op);
                }
                return soap("<" + op + "Response xmlns=\"" + NS + "\"><metadata><requestUid>req-" + System.nanoTime()
                        + "</requestUid><executionTime>0.01</executionTime></metadata>" + status(status, "") + out
                        + "</" + op + "Response>");
            }
        }
    }

    private String utilOp(String op, Element body, StringBuilder out) {
        switch (op) {
            case "getAuthenticators" -> {
                out.append("<authenticators><uid>1</uid><name>BlackBerry Administration Service</name>")
                        .append("<external>false</external></authenticators>")
                        .append("<authenticators><uid>2</uid><name>Active Directory</name><external>true</external>")
                        .append("</authenticators>");
                return "SUCCESS";
            }
            case "getEncodedUsername" -> {
                Element a = first(body, "authenticator");
                String user = text(body, "username");
                if (a == null || !"BlackBerry Administration Service".equals(text(a, "name")) || !"1".equals(text(a, "uid"))) {
                    return "INVALID_AUTHENTICATOR";
                }
                if (!"PASSWORD".equals(text(first(body, "credentialType"), "value"))) {
                    return "INVALID_CREDENTIAL_TYPE";
                }
                out.append(el("encodedUsername", encoded(user)));
                return "SUCCESS";
            }
            default -> {
                return null;
            }
        }
    }

    private String bwsOp(String op, Element body, StringBuilder out) {
        switch (op) {
            case "getSystemInfo" -> {
                out.append(property("BWS Version", "5.0.4")).append(property("BAS Version", "6.2.0.366"))
                        .append(property("Authenticated User Uid", "1"));
                return "SUCCESS";
            }
            case "getUsers" -> {
                Element criteria = first(body, "searchCriteria");
                String email = criteria == null ? null : text(criteria, "emailAddress");
                List<InMemoryBes.User> found = new ArrayList<>();
                if (email != null) {
                    InMemoryBes.User u = bes.byEmail(email.replace("\"", ""));
                    if (u != null) {
                        found.add(u);
                    }
                } else {
                    int size = Integer.parseInt(text(body, "pageSize"));
                    String start = text(body, "startIndex");
                    found = bes.page(start == null ? 0 : Integer.parseInt(start), size);
                }
                for (InMemoryBes.User u : found) {
                    out.append("<users>").append(el("uid", u.uid)).append(el("displayName", u.displayName))
                            .append("</users>");
                }
                return "SUCCESS";
            }
            case "getUsersDetail" -> {
                boolean all = true;
                for (Element ue : children(body, "users")) {
                    InMemoryBes.User u = bes.byUid(text(ue, "uid"));
                    out.append("<individualResponses>").append(el("userUid", text(ue, "uid")));
                    if (u == null) {
                        out.append(status("USER_NOT_FOUND", "User not found")).append("</individualResponses>");
                        all = false;
                        continue;
                    }
                    out.append(status("SUCCESS", "")).append(userDetail(u)).append("</individualResponses>");
                }
                return all ? "SUCCESS" : "FAILURE";
            }
            case "createUsers" -> {
                boolean all = true;
                for (Element nu : children(body, "newUsers")) {
                    String email = text(first(nu, "accountAttributes"), "emailAddress");
                    String code = takeFailure(op);
                    if (code == null && bes.byEmail(email) != null) {
                        code = "USER_ALREADY_EXISTS";
                    }
                    out.append("<individualResponses>");
                    if (code != null) {
                        out.append(status(code, "cannot create " + email));
                        all = false;
                    } else {
                        InMemoryBes.User u = ignore.contains(op) ? null : bes.addUser(email);
                        out.append(el("uid", u == null ? "999" : u.uid)).append(status("SUCCESS", ""));
                    }
                    out.append("</individualResponses>");
                }
                return all ? "SUCCESS" : "PARTIAL_FAILURE";
            }
            case "deleteUsers", "setUsersITPolicy", "setUsersActivationPassword", "sendMessage" -> {
                boolean all = true;
                for (Element ue : children(body, "users")) {
                    InMemoryBes.User u = bes.byUid(text(ue, "uid"));
                    String code = u == null ? "USER_NOT_FOUND" : takeFailure(op);
                    if (code == null && op.equals("setUsersITPolicy")) {
                        Element p = first(body, "itPolicy");
                        if (p == null || !bes.policies.containsKey(text(p, "uid"))) {
                            code = "IT_POLICY_NOT_FOUND";
                        }
                    }
                    out.append("<individualResponses>").append(el("uid", text(ue, "uid")));
                    if (code != null) {
                        out.append(status(code, op + " failed")).append("</individualResponses>");
                        all = false;
                        continue;
                    }
                    if (!ignore.contains(op)) {
                        switch (op) {
                            case "deleteUsers" -> bes.remove(u);
                            case "setUsersITPolicy" -> {
                                u.directPolicy = bes.policies.get(text(first(body, "itPolicy"), "uid"));
                                u.devices.forEach(d -> d.itPolicyName = u.directPolicy);
                            }
                            case "setUsersActivationPassword" -> {
                                u.activationPassword = text(body, "activationPassword");
                                u.activationExpiryHours = Integer.valueOf(text(body, "expiryHours"));
                            }
                            default -> u.messages.add(text(body, "subject") + ": " + text(body, "body"));
                        }
                    }
                    out.append(status("SUCCESS", "")).append("</individualResponses>");
                }
                return all ? "SUCCESS" : "FAILURE";
            }
            case "resendITPolicy", "setDevicesPasswordAndLock", "deleteDevicesData" -> {
                boolean all = true;
                for (Element de : children(body, "devices")) {
                    InMemoryBes.Device d = bes.device(text(de, "pin"));
                    String code = d == null ? "DEVICE_NOT_FOUND" : takeFailure(op);
                    out.append("<individualResponses>").append(el("uid", text(de, "pin")));
                    if (code != null) {
                        out.append(status(code, op + " failed")).append("</individualResponses>");
                        all = false;
                        continue;
                    }
                    if (!ignore.contains(op)) {
                        switch (op) {
                            case "setDevicesPasswordAndLock" -> {
                                d.lockedWithPassword = text(body, "password");
                                d.state = "LOCKED";
                            }
                            case "deleteDevicesData" -> {
                                d.wiped = true;
                                d.state = "DISABLED";
                            }
                            default -> d.lastContactTime = "2026-12-05T12:00:00Z";
                        }
                    }
                    out.append(status("SUCCESS", "")).append("</individualResponses>");
                }
                return all ? "SUCCESS" : "FAILURE";
            }
            case "getITPolicies" -> {
                bes.policies.forEach((uid, name) -> out.append("<itPolicies>").append(el("uid", uid)).append(el("name", name))
                        .append(el("description", name + " policy")).append("</itPolicies>"));
                return "SUCCESS";
            }
            default -> {
                return null;
            }
        }
    }

    private String takeFailure(String op) {
        return failNext.remove(op);
    }

    private static String userDetail(InMemoryBes.User u) {
        StringBuilder b = new StringBuilder("<userDetail>");
        b.append(el("displayName", u.displayName)).append(el("lastLoginTime", "2026-12-01T09:00:00Z"));
        b.append("<accounts>").append(el("emailAddress", u.email)).append("</accounts>");
        for (InMemoryBes.Device d : u.devices) {
            b.append("<devices>").append(el("pin", d.pin)).append(el("model", d.model))
                    .append(el("platformVersion", d.platformVersion)).append(el("phoneNumber", d.phoneNumber))
                    .append("<state><").append(d.state).append(">true</").append(d.state).append(">")
                    .append(el("value", d.state)).append("</state>")
                    .append(el("serialNumber", d.serialNumber)).append(el("imei", d.imei))
                    .append(el("activeCarrier", d.activeCarrier)).append(el("network", d.network))
                    .append(el("itPolicyName", d.itPolicyName)).append(el("lastContactTime", d.lastContactTime))
                    .append(el("totalMessagesSent", Integer.toString(d.messagesSent)))
                    .append("<applications>").append(el("name", "Mail")).append(el("version", "7.1"))
                    .append("</applications>")
                    .append("</devices>");
        }
        if (u.directPolicy != null) {
            b.append("<directITPolicy><policy>").append(el("name", u.directPolicy)).append("</policy></directITPolicy>");
        }
        if (u.activationExpiryHours != null) {
            b.append(el("activationPasswordExpiry", u.activationExpiryHours + "h"));
        }
        return b.append("</userDetail>").toString();
    }

    private static String property(String name, String value) {
        return "<properties>" + el("name", name) + el("value", value) + "</properties>";
    }

    private static String status(String code, String message) {
        return "<returnStatus>" + el("code", code) + el("message", message) + "</returnStatus>";
    }

    public static String el(String name, String text) {
        String t = text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<" + name + ">" + t + "</" + name + ">";
    }

    public static ResponseDefinition soap(String inner) {
        return response(200, "text/xml; charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>" + inner
                + "</soap:Body></soap:Envelope>");
    }

    /** A SOAP 1.1 fault body. */
    public static String faultBody(String code, String text) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soap:Body><soap:Fault><faultcode>" + code + "</faultcode><faultstring>" + text
                + "</faultstring></soap:Fault></soap:Body></soap:Envelope>";
    }

    private static ResponseDefinition fault(String code, String text) {
        return response(500, "text/xml; charset=UTF-8", faultBody(code, text));
    }

    /** An answer with {@code status}, {@code contentType} and {@code body}. */
    public static ResponseDefinition response(int status, String contentType, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status).withHeader("Content-Type", contentType)
                .withBody(body).build();
    }

    private static Element first(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || name.equals(e.getLocalName()))) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = first(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
