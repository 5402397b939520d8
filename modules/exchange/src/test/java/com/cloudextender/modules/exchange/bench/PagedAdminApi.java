package com.cloudextender.modules.exchange.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.cloudextender.modules.exchange.testing.FakeAdminApi;
import com.cloudextender.modules.exchange.testing.TestPki;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * WireMock serving pre-rendered pages of {@code Get-CASMailbox} and {@code Get-MobileDevice} output for
 * {@code devices} partnerships (one per mailbox), so that the server's own cost is the same small
 * byte copy for the module's read and for the raw read it is compared with. {@link #change(int)}
 * blocks one device and renders its page again.
 */
final class PagedAdminApi implements AutoCloseable {
    final WireMockServer server;
    private final int pageSize;
    private final int devices;
    private final boolean[] blocked;
    private final List<byte[]> mailboxPages = new ArrayList<>();
    private final List<byte[]> devicePages = new ArrayList<>();

    PagedAdminApi(TestPki pki, int devices, int pageSize) {
        this.devices = devices;
        this.pageSize = pageSize;
        this.blocked = new boolean[devices];
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(pki.serverKeystore.toString()).keystorePassword(TestPki.PASSWORD)
                .keyManagerPassword(TestPki.PASSWORD).keystoreType("PKCS12").containerThreads(8)
                .disableRequestJournal().extensions(new Pages()));
        server.start();
        server.stubFor(post(urlPathEqualTo("/" + FakeAdminApi.TENANT + "/oauth2/v2.0/token")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":86399,\"ext_expires_in\":86399,\"access_token\":\"bench\"}")));
        server.stubFor(post(urlPathMatching("/adminapi/beta/[^/]+/InvokeCommand")).willReturn(aResponse().withTransformers("pages")));
        for (int p = 0; p * pageSize < devices; p++) {
            mailboxPages.add(render(p, true));
            devicePages.add(render(p, false));
        }
    }

    String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    int pages() {
        return devicePages.size();
    }

    /** Blocks device {@code i} and renders its page again. */
    void change(int i) {
        blocked[i] = true;
        devicePages.set(i / pageSize, render(i / pageSize, false));
    }

    private byte[] render(int page, boolean mailboxes) {
        StringBuilder sb = new StringBuilder(pageSize * 800);
        sb.append("{\"@odata.context\":\"").append(baseUrl()).append("/adminapi/beta/$metadata#Collection\",");
        int from = page * pageSize;
        int to = Math.min(devices, from + pageSize);
        if (to < devices) {
            sb.append("\"@odata.nextLink\":\"").append(baseUrl()).append("/adminapi/beta/").append(FakeAdminApi.TENANT)
                    .append("/InvokeCommand?$skiptoken=").append(page + 1).append("\",");
        }
        sb.append("\"value\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(',');
            }
            String m = "user" + i;
            if (mailboxes) {
                sb.append("{\"Identity\":\"").append(m).append("\",\"Name\":\"").append(m)
                        .append("\",\"UserPrincipalName\":\"").append(m).append("@contoso.example\",\"PrimarySmtpAddress\":\"")
                        .append(m).append("@contoso.example\",\"DisplayName\":\"User ").append(i)
                        .append("\",\"ActiveSyncMailboxPolicy\":\"Default\",\"ActiveSyncEnabled\":true,")
                        .append("\"ActiveSyncAllowedDeviceIDs\":[],\"ActiveSyncBlockedDeviceIDs\":[")
                        .append(blocked[i] ? "\"DEV" + i + "\"" : "").append("],\"HasActiveSyncDevicePartnership\":true}");
            } else {
                sb.append("{\"Identity\":\"").append(m).append("\\\\ExchangeActiveSyncDevices\\\\iPhone§DEV").append(i)
                        .append("\",\"Guid\":\"").append(String.format("00000000-0000-4000-8000-%012d", i))
                        .append("\",\"DeviceId\":\"DEV").append(i).append("\",\"DeviceType\":\"iPhone\",\"DeviceModel\":\"iPhone 15\",")
                        .append("\"DeviceOS\":\"iOS 17.1\",\"DeviceUserAgent\":\"Apple-iPhone15C2/2101.1\",\"DeviceImei\":\"35")
                        .append(String.format("%013d", i)).append("\",\"FriendlyName\":\"iPhone of user ").append(i)
                        .append("\",\"ClientType\":\"EAS\",\"DeviceAccessState\":\"").append(blocked[i] ? "Blocked" : "Allowed")
                        .append("\",\"DeviceAccessStateReason\":\"").append(blocked[i] ? "Individual" : "Global")
                        .append("\",\"DeviceAccessControlRule\":null,\"FirstSyncTime\":\"2026-11-01T08:00:00Z\",")
                        .append("\"UserDisplayName\":\"User ").append(i).append("\"}");
            }
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private final class Pages implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request r = event.getRequest();
            boolean mailboxes = "Get-CASMailbox".equals(r.getHeader("X-CmdletName"));
            int page = r.queryParameter("$skiptoken").isPresent() ? Integer.parseInt(r.queryParameter("$skiptoken").firstValue()) : 0;
            byte[] body = (mailboxes ? mailboxPages : devicePages).get(page);
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body).build();
        }

        @Override
        public String getName() {
            return "pages";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
