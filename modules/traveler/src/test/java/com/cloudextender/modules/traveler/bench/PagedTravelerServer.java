package com.cloudextender.modules.traveler.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.cloudextender.modules.traveler.testing.TestTls;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * WireMock serving pre-rendered pages of {@code GET /api/traveler/devices} for {@code devices}
 * registrations, so that the server's own cost is the same byte copy for the module's read and the raw
 * read it is compared with. {@link #change(int)} denies one device and renders its page again.
 */
final class PagedTravelerServer implements AutoCloseable {
    final WireMockServer server;
    private final int devices;
    private final int pageSize;
    private final boolean[] denied;
    private final List<byte[]> pages = new ArrayList<>();

    PagedTravelerServer(TestTls tls, int devices, int pageSize) {
        this.devices = devices;
        this.pageSize = pageSize;
        this.denied = new boolean[devices];
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(tls.keystore.toString()).keystorePassword(TestTls.PASSWORD)
                .keyManagerPassword(TestTls.PASSWORD).keystoreType("PKCS12").containerThreads(8)
                .disableRequestJournal().extensions(new Pages()));
        server.start();
        server.stubFor(get(urlPathEqualTo("/api/traveler/devices")).willReturn(aResponse().withTransformers("pages")));
        for (int p = 0; p * pageSize < devices; p++) {
            pages.add(render(p));
        }
    }

    String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    int pages() {
        return pages.size();
    }

    /** Denies device {@code i} access and renders its page again. */
    void change(int i) {
        denied[i] = true;
        pages.set(i / pageSize, render(i / pageSize));
    }

    private byte[] render(int page) {
        int from = page * pageSize;
        int to = Math.min(devices, from + pageSize);
        StringBuilder sb = new StringBuilder(pageSize * 560);
        sb.append("{\"total\":").append(devices).append(",\"start\":").append(from).append(",\"count\":").append(to - from)
                .append(",\"devices\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(',');
            }
            boolean apple = i % 3 != 0;
            sb.append("{\"userName\":\"CN=User ").append(i).append("/OU=Sales/O=Acme\",\"deviceId\":\"")
                    .append(apple ? "Apple_" : "android").append(String.format("%010d", i))
                    .append("\",\"deviceName\":\"").append(apple ? "iPhone" : "Pixel").append(" of User ").append(i)
                    .append("\",\"deviceType\":\"").append(apple ? "Apple iPhone" : "Android")
                    .append("\",\"os\":\"").append(apple ? "iOS 17." : "Android 14.").append(i % 7)
                    .append("\",\"clientType\":\"").append(apple ? "ActiveSync" : "HCL Verse")
                    .append("\",\"clientVersion\":\"").append(apple ? "" : "12.0.4.1")
                    .append("\",\"lastSync\":\"2026-12-05T").append(String.format("%02d:%02d:%02d", i % 24, i % 60, (i * 7) % 60))
                    .append("Z\",\"state\":\"Active\",\"access\":\"").append(denied[i] ? "Deny" : "Allow")
                    .append("\",\"approval\":\"Approved\",\"wipe\":{\"status\":\"None\",\"options\":[]},")
                    .append("\"wipeOptionsSupported\":").append(apple ? "[\"HardReset\",\"Application\"]"
                            : "[\"HardReset\",\"Application\",\"StorageCard\"]")
                    .append(",\"policy\":\"Sales Mobile\"}");
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private final class Pages implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var start = event.getRequest().queryParameter("start");
            int from = start.isPresent() ? Integer.parseInt(start.firstValue()) : 0;
            int page = from / pageSize;
            byte[] body = page < pages.size() ? pages.get(page) : "{\"total\":0,\"devices\":[]}".getBytes(StandardCharsets.UTF_8);
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body).build();
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
