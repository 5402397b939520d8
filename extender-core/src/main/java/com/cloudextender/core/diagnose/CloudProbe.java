package com.cloudextender.core.diagnose;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.proxy.HttpConnectTunnel;
import com.cloudextender.core.proxy.ProxyException;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;

/**
 * Reaches the cloud the way the extender does: directly or through the HTTP CONNECT proxy, TLS with SNI,
 * the configured trust and HTTPS host-name verification, then (optionally) one HTTP GET. Each failure is
 * turned into a {@link ProbeFailure} that says in plain words what went wrong.
 */
public final class CloudProbe {
    private final SSLContext tls;
    private final Optional<ProxyRoute> proxy;
    private final ProxyAuthenticator auth;
    private final Duration timeout;

    /** A probe answering proxies with the default schemes (Negotiate, NTLM). */
    public CloudProbe(SSLContext tls, Optional<ProxyRoute> proxy, Duration timeout) {
        this(tls, proxy, ProxyAuthenticator.standard(), timeout);
    }

    /** A probe answering proxies with {@code auth}, the extender's own login. */
    public CloudProbe(SSLContext tls, Optional<ProxyRoute> proxy, ProxyAuthenticator auth, Duration timeout) {
        this.tls = tls;
        this.proxy = proxy;
        this.auth = auth;
        this.timeout = timeout;
    }

    /** TLS handshake with {@code url}'s host and a GET of its path; any HTTP status counts as reached. */
    public CloudAnswer get(URI url) throws ProbeFailure {
        int port = url.getPort() > 0 ? url.getPort() : 443;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return reach(url.getHost(), port, true, path);
    }

    /** A TCP connection to {@code host:port}, with a TLS handshake when {@code tlsHandshake}; no HTTP. */
    public CloudAnswer connect(String host, int port, boolean tlsHandshake) throws ProbeFailure {
        return reach(host, port, tlsHandshake, null);
    }

    private CloudAnswer reach(String host, int port, boolean useTls, String httpPath) throws ProbeFailure {
        String where = host + ":" + port;
        Socket raw = open(host, port, where);
        try (Socket s = useTls ? handshake(raw, host, port, where) : raw) {
            List<X509Certificate> chain = new ArrayList<>();
            if (s instanceof SSLSocket ssl) {
                for (java.security.cert.Certificate c : ssl.getSession().getPeerCertificates()) {
                    chain.add((X509Certificate) c);
                }
            }
            if (httpPath == null) {
                return new CloudAnswer(chain, 0, Optional.empty(), proxyName());
            }
            return httpGet(s, host, port, httpPath, chain, where);
        } catch (IOException e) {
            throw new ProbeFailure(ProbeFailure.Kind.UNREACHABLE, "the connection to " + where + " broke: " + e.getMessage()
                    + ". Check the network path and try again", e);
        }
    }

    private Optional<String> proxyName() {
        return proxy.map(p -> p.host() + ":" + p.port());
    }

    private Socket open(String host, int port, String where) throws ProbeFailure {
        int millis = (int) timeout.toMillis();
        if (proxy.isPresent()) {
            ProxyRoute p = proxy.get();
            String proxyWhere = p.host() + ":" + p.port();
            resolve(p.host(), "the proxy's name " + p.host() + " does not resolve (DNS). Check proxy.host");
            try {
                return HttpConnectTunnel.open(p, auth, host, port, millis);
            } catch (ProxyException e) {
                if (e.getCause() instanceof IOException cause && !(cause instanceof ProxyException)) {
                    throw unreachable(proxyWhere + " (the proxy)", cause, "Check proxy.host and proxy.port");
                }
                throw new ProbeFailure(ProbeFailure.Kind.PROXY_REFUSED, plainProxyRefusal(e.getMessage()), e);
            } catch (IOException e) {
                throw unreachable(proxyWhere + " (the proxy)", e, "Check proxy.host and proxy.port");
            }
        }
        InetAddress address = resolve(host, "the cloud's name " + host + " does not resolve (DNS). Check the "
                + "spelling, the DNS servers of this machine, or whether a proxy is needed to reach the internet");
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(address, port), millis);
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw unreachable(where, e, "Check the address and port, and that the firewall lets this machine out "
                    + "(or configure the proxy)");
        }
    }

    private static String plainProxyRefusal(String message) {
        if (message.contains(" 407")) {
            return "the proxy refused authentication (HTTP 407): " + message;
        }
        return "the proxy refused to open the connection: " + message;
    }

    private static InetAddress resolve(String host, String failure) throws ProbeFailure {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ProbeFailure(ProbeFailure.Kind.DNS, failure, e);
        }
    }

    private ProbeFailure unreachable(String where, IOException e, String advice) {
        String what = e instanceof SocketTimeoutException ? "no answer from " + where + " within "
                + timeout.toSeconds() + " s (timeout)" : "cannot connect to " + where + ": " + e.getMessage();
        return new ProbeFailure(ProbeFailure.Kind.UNREACHABLE, what + ". " + advice, e);
    }

    private SSLSocket handshake(Socket raw, String host, int port, String where) throws ProbeFailure {
        try {
            raw.setSoTimeout((int) timeout.toMillis());
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true);
            SSLParameters params = ssl.getSSLParameters();
            // The JDK checks the host name against the certificate, as an HTTPS client must.
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            return ssl;
        } catch (SocketTimeoutException e) {
            closeQuietly(raw);
            throw unreachable(where, e, "The server accepted the connection but did not complete TLS; check the port");
        } catch (SSLException e) {
            closeQuietly(raw);
            throw new ProbeFailure(ProbeFailure.Kind.TLS, tlsExplanation(e, host, where), e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw unreachable(where, e, "Check the address and port");
        }
    }

    /** Plain words for the usual TLS failures: unknown authority, expired, wrong name. */
    static String tlsExplanation(SSLException e, String host, String where) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? e.toString() : root.getMessage();
        if (root instanceof CertificateExpiredException) {
            return "the certificate of " + where + " has expired (" + detail + "); the cloud operator must renew it";
        }
        if (root instanceof CertificateException && detail.toLowerCase(Locale.ROOT).contains("no subject alternative")) {
            return "the certificate of " + where + " is not issued for the name " + host + " (" + detail
                    + "); use the host name the certificate covers";
        }
        if (detail.contains("PKIX") || detail.contains("unable to find valid certification path")
                || root instanceof java.security.cert.CertPathValidatorException) {
            return "the certificate of " + where + " is not signed by an authority this machine trusts (" + detail
                    + "); set cloud.trustStore to a file with the cloud's CA certificate. If a proxy inspects TLS, "
                    + "its CA certificate is needed instead";
        }
        if (e instanceof SSLHandshakeException) {
            return "the TLS handshake with " + where + " failed: " + detail + ". Check that this port speaks TLS";
        }
        return "TLS with " + where + " failed: " + detail;
    }

    private CloudAnswer httpGet(Socket s, String host, int port, String path, List<X509Certificate> chain,
            String where) throws IOException, ProbeFailure {
        String hostHeader = port == 443 ? host : host + ":" + port;
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: cloud-extender-diagnose\r\n"
                + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head;
        try {
            head = readHead(s.getInputStream());
        } catch (SocketTimeoutException e) {
            throw unreachable(where, e, "The cloud API did not answer; try again later or ask the cloud operator");
        }
        String status = head.lines().findFirst().orElse("");
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new ProbeFailure(ProbeFailure.Kind.PROTOCOL, where + " did not answer with HTTP ('" + status
                    + "'); check cloud.apiUrl");
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProbeFailure(ProbeFailure.Kind.PROTOCOL, where + " sent a malformed HTTP status: " + status);
        }
        Optional<Instant> date = head.lines().filter(l -> l.regionMatches(true, 0, "Date:", 0, 5))
                .map(l -> l.substring(5).trim()).findFirst().flatMap(CloudProbe::httpDate);
        return new CloudAnswer(chain, code, date, proxyName());
    }

    static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && buf.size() < 32 * 1024) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            buf.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing more to do with a socket that failed
        }
    }
}
