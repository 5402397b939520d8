package com.cloudextender.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.Timeout;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.OutboundHttp;
import com.cloudextender.core.proxy.ProxyAuth;
import com.cloudextender.core.proxy.ProxyConnector;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.proxy.auth.KerberosClient;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;
import com.cloudextender.core.tls.TrustMaterial;
import com.cloudextender.demo.DevPackages;
import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.DevCloudOptions;
import com.cloudextender.devcloud.modules.ModuleEntry;

/**
 * Proxy authentication cost: the channel's connect (CONNECT tunnel with its login, then the verified TLS
 * handshake with the dev cloud's XMPP port) and module-download throughput (the example package over the
 * extender's HTTP client), through a squid authenticating NTLM via ntlm_auth against a Samba AD DC and
 * through a squid authenticating Basic from a password file, alternating in the same run. Needs root.
 */
public final class ProxyBench {
    private static final String USER = "jsmith";
    private static final String PASSWORD = "Pass-jsmith1";
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 10);
    private static final int CONNECTS = Integer.getInteger("bench.connects", 20);
    private static final int DOWNLOADS = Integer.getInteger("bench.downloads", 10);

    private ProxyBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchLogs.runAndExit("proxy", ProxyBench::run);
    }

    private static void run(Path work, Path log) throws Exception {
        Path peers = DevPackages.root().resolve("scripts/peers");
        // The proxy user must reach the folders: not under /tmp's private parts.
        Path base = DevPackages.root().resolve("integration/target/proxy-bench");
        Path samba = base.resolve("samba");
        Path ntlmDir = base.resolve("squid-ntlm");
        Path basicDir = base.resolve("squid-basic");
        script(peers, "squid", "stop", ntlmDir.toString());
        script(peers, "squid", "stop", basicDir.toString());
        script(peers, "samba", "stop", samba.toString());
        Files.createDirectories(base);
        int ntlmPort = freePort();
        int basicPort = freePort();
        try (DevCloud cloud = DevCloud.start(DevCloudOptions.ephemeral(work.resolve("cloud")))) {
            must(script(peers, "samba", "start", samba.toString(), "winbind"), "start the Samba DC");
            must(script(peers, "samba", "user", samba.toString(), USER, PASSWORD), "create the user");
            must(script(peers, "squid", "start-ntlm", ntlmDir.toString(), Integer.toString(ntlmPort),
                    samba.toString()), "start the NTLM squid");
            must(script(peers, "squid", "start", basicDir.toString(), Integer.toString(basicPort), USER, PASSWORD),
                    "start the Basic squid");
            ModuleEntry example = cloud.publishModule(DevPackages.built("example"), "stable");
            SSLContext tls = TrustMaterial.load(Optional.of(cloud.certificatePem()), Optional.empty()).sslContext();
            String url = cloud.apiUrl() + "/modules/" + example.file();
            ProxyDecision ntlm = decision(ntlmPort, "CORP\\" + USER, ProxyAuth.NTLM);
            ProxyDecision basic = decision(basicPort, USER, ProxyAuth.BASIC);
            List<Long> ntlmConnect = new ArrayList<>();
            List<Long> basicConnect = new ArrayList<>();
            long[] ntlmBytesNanos = new long[2];
            long[] basicBytesNanos = new long[2];
            connects(ntlm, tls, cloud.directTlsPort(), 3, new ArrayList<>()); // warm-up of both paths
            connects(basic, tls, cloud.directTlsPort(), 3, new ArrayList<>());
            for (int round = 0; round < ROUNDS; round++) {
                // Alternating which goes first, so that neither always runs after the other's load.
                boolean ntlmFirst = round % 2 == 0;
                connects(ntlmFirst ? ntlm : basic, tls, cloud.directTlsPort(), CONNECTS,
                        ntlmFirst ? ntlmConnect : basicConnect);
                connects(ntlmFirst ? basic : ntlm, tls, cloud.directTlsPort(), CONNECTS,
                        ntlmFirst ? basicConnect : ntlmConnect);
                downloads(ntlmFirst ? ntlm : basic, tls, url, ntlmFirst ? ntlmBytesNanos : basicBytesNanos);
                downloads(ntlmFirst ? basic : ntlm, tls, url, ntlmFirst ? basicBytesNanos : ntlmBytesNanos);
            }
            double ntlmMedian = median(ntlmConnect);
            double basicMedian = median(basicConnect);
            double ntlmMbps = mbPerSecond(ntlmBytesNanos);
            double basicMbps = mbPerSecond(basicBytesNanos);
            System.out.printf("channel connect (CONNECT + login + TLS), %d each: NTLM median %.2f ms p90 %.2f ms; "
                    + "Basic median %.2f ms p90 %.2f ms; speed NTLM/Basic %.2f%n", ntlmConnect.size(), ntlmMedian,
                    quantile(ntlmConnect, 0.9), basicMedian, quantile(basicConnect, 0.9), basicMedian / ntlmMedian);
            System.out.printf("module download (%d bytes), %d each: NTLM %.1f MB/s; Basic %.1f MB/s; NTLM/Basic "
                    + "%.2f%n", example.size(), ROUNDS * DOWNLOADS, ntlmMbps, basicMbps, ntlmMbps / basicMbps);
        } finally {
            script(peers, "squid", "stop", ntlmDir.toString());
            script(peers, "squid", "stop", basicDir.toString());
            script(peers, "samba", "stop", samba.toString());
        }
    }

    private static ProxyDecision decision(int port, String user, ProxyAuth scheme) {
        Clock c = Clock.systemUTC();
        return ProxyDecision.fixed(new ProxyRoute("127.0.0.1", port, Optional.of(user), Optional.of(PASSWORD)))
                .withAuthenticator(new ProxyAuthenticator(List.of(scheme), Optional.empty(), "BENCH",
                        new KerberosClient(Optional.empty(), Optional.empty(), c), c));
    }

    /** The channel's connect: a tunnel with its login, then the verified TLS handshake, as ChannelSocket does. */
    private static void connects(ProxyDecision d, SSLContext tls, int port, int n, List<Long> nanos)
            throws IOException {
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Socket plain = ProxyConnector.connect(d, "localhost", port, 10_000);
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName("localhost")));
                s.setSSLParameters(p);
                s.startHandshake();
                nanos.add(System.nanoTime() - t0);
            }
        }
    }

    /** Downloads over one client, as the module manager does (its first request pays the login). */
    private static void downloads(ProxyDecision d, SSLContext tls, String url, long[] bytesNanos) throws IOException {
        try (CloseableHttpClient http = OutboundHttp.client(d, tls, Timeout.ofSeconds(30))) {
            byte[] buf = new byte[64 * 1024];
            long t0 = System.nanoTime();
            for (int i = 0; i < DOWNLOADS; i++) {
                bytesNanos[0] += http.execute(new HttpGet(url), r -> {
                    if (r.getCode() != 200) {
                        throw new IOException("download answered HTTP " + r.getCode());
                    }
                    long n = 0;
                    try (InputStream in = r.getEntity().getContent()) {
                        for (int k; (k = in.read(buf)) >= 0;) {
                            n += k;
                        }
                    }
                    return n;
                });
            }
            bytesNanos[1] += System.nanoTime() - t0;
        }
    }

    private static double median(List<Long> nanos) {
        return quantile(nanos, 0.5);
    }

    private static double quantile(List<Long> nanos, double q) {
        long[] s = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))] / 1e6;
    }

    private static double mbPerSecond(long[] bytesNanos) {
        return bytesNanos[0] / 1e6 / (bytesNanos[1] / 1e9);
    }

    private static void must(String failure, String what) {
        if (failure != null) {
            throw new IllegalStateException("cannot " + what + ": " + failure);
        }
    }

    private static String script(Path peers, String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(peers.resolve(name).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("proxy-bench", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return name + " " + args[0] + " did not finish";
            }
            return p.exitValue() == 0 ? null : Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
