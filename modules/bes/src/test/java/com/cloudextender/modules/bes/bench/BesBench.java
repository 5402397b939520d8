package com.cloudextender.modules.bes.bench;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.bes.BesSettings;
import com.cloudextender.modules.bes.client.BwsClient;
import com.cloudextender.modules.bes.devices.AttributeSet;
import com.cloudextender.modules.bes.devices.BesDevice;
import com.cloudextender.modules.bes.devices.DeviceJson;
import com.cloudextender.modules.bes.devices.DeviceSource;
import com.cloudextender.modules.bes.devices.UserDirectory;
import com.cloudextender.modules.bes.testing.FakeBws;
import com.cloudextender.modules.bes.testing.InMemoryBes;
import com.cloudextender.modules.bes.testing.TestPki;
import com.cloudextender.modules.support.inventory.InventoryReport;
import com.cloudextender.modules.support.inventory.InventorySettings;
import com.cloudextender.modules.support.inventory.InventorySync;
import com.cloudextender.modules.support.tls.PemTrust;
import com.cloudextender.modules.testkit.FakeModuleContext;
import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.Dispatch;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.soap.SOAPBinding;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.jaxws.DispatchImpl;
import org.apache.cxf.staxutils.StaxUtils;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;

/**
 * {@code scripts/bench bes}: discovery of {@code bench.devices} (50,000) devices, one per user, served by
 * the BAS emulator (getUsers pages of 500, getUsersDetail batches of 100), against a raw read of the same
 * requests and answers with the same SOAP stack (a CXF {@code Dispatch} in payload mode on the same
 * endpoint, TLS and Basic sign-in; answers only walked as XML events, user ids picked out for the detail
 * requests) in the same run; then a delta after 100 device changes. Figures in docs/BENCHMARKS.md.
 */
public final class BesBench {
    private static final String NS = FakeBws.NS;

    private BesBench() {
    }

    public static void main(String[] args) throws Exception {
        int devices = Integer.getInteger("bench.devices", 50_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int pageSize = 500;
        int batch = 100;
        Path dir = Files.createTempDirectory("bes-bench");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        InMemoryBes bes = new InMemoryBes();
        for (int i = 0; i < devices; i++) {
            bes.user(String.format("user%06d@corp.example", i), String.format("2%07X", i));
        }
        System.out.printf("BES bench: %,d devices (one per user), getUsers pages of %d, getUsersDetail batches of %d, "
                + "%d rounds (median)%n", devices, pageSize, batch, rounds);
        try (FakeBws bws = new FakeBws(bes, pki)) {
            BesSettings settings = BesSettings.read(new ModuleConfig(Map.of("server", bws.baseUrl(), "username",
                    FakeBws.ADMIN, "password", FakeBws.PASSWORD, "trustStore", pki.serverPem.toString(), "pageSize",
                    Integer.toString(pageSize), "detailBatch", Integer.toString(batch), "timeout", "60s"), Set.of()));
            try (BwsClient client = BwsClient.open(settings, (h, p) -> Optional.empty())) {
                UserDirectory directory = new UserDirectory(client);
                Dispatch<Source> raw = rawDispatch(bws, pki);
                long[] rawNs = new long[rounds];
                long[] modNs = new long[rounds];
                rawRead(raw, pageSize, batch); // warm-up of both paths
                sync(directory, dir.resolve("warm")).run(true);
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    long[] counts = rawRead(raw, pageSize, batch);
                    rawNs[r] = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    InventoryReport rep = sync(directory, dir.resolve("run" + r)).run(true);
                    modNs[r] = System.nanoTime() - t0;
                    if (rep.read() != devices || counts[0] != devices) {
                        throw new IllegalStateException("read " + rep.read() + " devices, raw " + counts[0] + " users");
                    }
                    System.out.printf("  round %d: raw read %,d ms (%,d MB of XML text), discovery %,d ms (%,d chunks)%n",
                            r + 1, rawNs[r] / 1_000_000, counts[1] >> 20, modNs[r] / 1_000_000, rep.receipts().size());
                }
                long rawMs = median(rawNs) / 1_000_000;
                long modMs = median(modNs) / 1_000_000;
                System.out.printf("discovery: %,d ms; raw read of the same answers: %,d ms; ratio %.2f (goal <= 1.3)%n",
                        modMs, rawMs, (double) modMs / rawMs);

                InventorySync<BesDevice> sync = sync(directory, dir.resolve("delta"));
                sync.run(true);
                for (int i = 0; i < 100; i++) {
                    bes.device(String.format("2%07X", i * (devices / 100))).state = "LOCKED";
                }
                long t0 = System.nanoTime();
                InventoryReport delta = sync.run(false);
                System.out.printf("delta after 100 changes: %,d ms, %d modified, %,d record bytes (%d per changed device)%n",
                        (System.nanoTime() - t0) / 1_000_000, delta.modified(), delta.bytes(),
                        delta.bytes() / Math.max(1, delta.modified()));
            }
        }
    }

    private static InventorySync<BesDevice> sync(UserDirectory directory, Path dir) {
        FakeModuleContext ctx = new FakeModuleContext("bes", ModuleConfig.empty(), dir);
        return new InventorySync<>(new InventorySettings("bes", "devices", 5000, 8 << 20, 500, 10),
                new DeviceSource(directory), new DeviceJson(EnumSet.allOf(AttributeSet.class)), ctx);
    }

    private static Dispatch<Source> rawDispatch(FakeBws bws, TestPki pki) throws Exception {
        QName port = new QName(NS, "BWS");
        Service service = Service.create(new QName(NS, "BWSService"));
        service.addPort(port, SOAPBinding.SOAP11HTTP_BINDING, bws.baseUrl() + FakeBws.BWS_PATH);
        Dispatch<Source> d = service.createDispatch(port, Source.class, Service.Mode.PAYLOAD);
        HTTPConduit conduit = (HTTPConduit) ((DispatchImpl<?>) d).getClient().getConduit();
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setAllowChunking(false);
        policy.setReceiveTimeout(60_000);
        conduit.setClient(policy);
        TLSClientParameters tls = new TLSClientParameters();
        tls.setSslContext(PemTrust.sslContext(Optional.of(pki.serverPem)));
        conduit.setTlsClientParameters(tls);
        d.getRequestContext().put(BindingProvider.USERNAME_PROPERTY, FakeBws.encoded(FakeBws.ADMIN));
        d.getRequestContext().put(BindingProvider.PASSWORD_PROPERTY, FakeBws.PASSWORD);
        return d;
    }

    private static final String METADATA = "<metadata><clientVersion>6.0.0</clientVersion><locale>en_US</locale>"
            + "<organizationUid>0</organizationUid></metadata>";

    /** The discovery's requests, answers only walked; {users, characters of text}. */
    private static long[] rawRead(Dispatch<Source> d, int pageSize, int batch) throws Exception {
        long users = 0;
        long chars = 0;
        XMLInputFactory xif = XMLInputFactory.newFactory();
        for (int start = 0; ; start += pageSize) {
            List<String> uids = new ArrayList<>();
            chars += walk(xif, d.invoke(new StreamSource(new StringReader("<getUsers xmlns=\"" + NS + "\">" + METADATA
                    + "<sortBy><EMAIL_ADDRESS>true</EMAIL_ADDRESS><value>EMAIL_ADDRESS</value></sortBy>"
                    + "<sortAscending>true</sortAscending><pageSize>" + pageSize + "</pageSize><startIndex>" + start
                    + "</startIndex></getUsers>"))), uids);
            users += uids.size();
            for (int i = 0; i < uids.size(); i += batch) {
                StringBuilder b = new StringBuilder("<getUsersDetail xmlns=\"" + NS + "\">" + METADATA);
                for (String uid : uids.subList(i, Math.min(uids.size(), i + batch))) {
                    b.append("<users><uid>").append(uid).append("</uid></users>");
                }
                b.append("<loadAccounts>true</loadAccounts><loadDevices>true</loadDevices>"
                        + "<loadITPolicies>true</loadITPolicies></getUsersDetail>");
                chars += walk(xif, d.invoke(new StreamSource(new StringReader(b.toString()))), null);
            }
            if (uids.size() < pageSize) {
                return new long[]{users, chars};
            }
        }
    }

    private static long walk(XMLInputFactory xif, Source s, List<String> uids) throws Exception {
        XMLStreamReader r = StaxUtils.createXMLStreamReader(s); // the Source CXF hands back is a StAX one
        long chars = 0;
        boolean inUid = false;
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                inUid = uids != null && r.getLocalName().equals("uid");
            } else if (e == XMLStreamConstants.CHARACTERS) {
                chars += r.getTextLength();
                if (inUid) {
                    uids.add(r.getText());
                    inUid = false;
                }
            }
        }
        r.close();
        return chars;
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
