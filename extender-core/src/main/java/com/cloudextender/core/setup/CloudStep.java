package com.cloudextender.core.setup;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.diagnose.CloudAnswer;
import com.cloudextender.core.diagnose.CloudProbe;
import com.cloudextender.core.diagnose.ProbeFailure;
import com.cloudextender.core.proxy.ProxyAuth;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.proxy.ProxyKeys;
import com.cloudextender.core.proxy.auth.KerberosClient;
import com.cloudextender.core.proxy.auth.ProxyAuthenticator;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.tls.TrustMaterial;

/**
 * Steps (a) and (b): the cloud's address and activation code, then the proxy, then a live test that reaches
 * the cloud's HTTPS API (and its channel port) the way the extender will. Repeats until the test passes when
 * a person answers.
 */
final class CloudStep {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String NONE = "none";

    private final SetupInput in;
    private final Path configFile;
    private final Properties current;
    private final SecretBox secrets;

    CloudStep(SetupInput in, Path configFile, Properties current, SecretBox secrets) {
        this.in = in;
        this.configFile = configFile;
        this.current = current;
        this.secrets = secrets;
    }

    CloudSettings run() throws SetupAbort {
        String host = value("cloud.host").filter(h -> !h.equals("cloud.example.com")).orElse("");
        String port = value("cloud.port").orElse("443");
        String apiUrl = value("cloud.apiUrl").filter(u -> !u.contains("cloud.example.com")).orElse("");
        String trustStore = value("cloud.trustStore").orElse("");
        Optional<String> code = Optional.empty();
        Optional<ProxyRoute> proxy = currentProxy();
        boolean proxyAsked = false;
        while (true) {
            in.say("");
            in.say("Step 1: the cloud");
            host = ask("cloud.host", "Cloud host name", host);
            int portNumber = port("cloud.port", "Cloud channel port", port);
            port = Integer.toString(portNumber);
            apiUrl = askUrl(apiUrl.isEmpty() ? "https://" + host : apiUrl);
            trustStore = askTrustStore(trustStore);
            code = askActivationCode(code);

            in.say("");
            in.say("Step 2: the proxy");
            ProxySuggestion suggestion = proxyAsked ? new ProxySuggestion(proxy, "as you typed it")
                    : ProxySuggestion.find(decision(proxy), host, portNumber);
            proxyAsked = true;
            in.say("  Proxy for " + host + ": " + suggestion.route().map(CloudStep::describe).orElse("direct connection")
                    + " (" + suggestion.source() + ")");
            proxy = askProxy(suggestion.route());
            List<ProxyAuth> schemes = proxy.flatMap(ProxyRoute::username).isPresent() ? askSchemes()
                    : ProxyAuthenticator.DEFAULT_SCHEMES;

            URI api = URI.create(apiUrl);
            CloudSettings settings = new CloudSettings(host, portNumber, api,
                    trustStore.isEmpty() ? Optional.empty() : Optional.of(trustStore), code, proxy, schemes);
            in.say("  Testing: TLS and HTTPS GET " + api + proxy.map(p -> " through " + p.host() + ":" + p.port()).orElse("")
                    + " ...");
            try {
                test(settings);
                return settings;
            } catch (ProbeFailure e) {
                in.testFailed(e.getMessage(), exitCode(e.kind()));
            }
        }
    }

    /** The exit code of a failed cloud test. */
    static int exitCode(ProbeFailure.Kind kind) {
        return switch (kind) {
            case PROXY_REFUSED -> SetupAbort.PROXY_REFUSED;
            case TLS -> SetupAbort.TLS;
            default -> SetupAbort.CLOUD_UNREACHABLE;
        };
    }

    private void test(CloudSettings s) throws ProbeFailure {
        TrustMaterial trust = trust(s.trustStore());
        Clock clock = Clock.systemUTC();
        ProxyAuthenticator auth = new ProxyAuthenticator(s.authSchemes(), value("proxy.domain"), "EXTENDER",
                new KerberosClient(value("proxy.kerberos.principal"), value("proxy.kerberos.keytab").map(Path::of), clock),
                clock);
        CloudProbe probe = new CloudProbe(trust.sslContext(), s.proxy(), auth, TIMEOUT);
        CloudAnswer api = probe.get(s.apiUrl());
        s.proxy().ifPresent(p -> in.say("  OK: " + proxyLogin(p, auth)));
        X509Certificate leaf = api.chain().get(0);
        long days = ChronoUnit.DAYS.between(Instant.now(), leaf.getNotAfter().toInstant());
        in.say("  OK: the cloud API answered (HTTP " + api.httpStatus() + "); its certificate is verified for "
                + s.apiUrl().getHost() + " and valid for " + days + " more days");
        boolean directTls = !"starttls".equalsIgnoreCase(value("cloud.tls").orElse("direct"));
        probe.connect(s.host(), s.port(), directTls);
        in.say("  OK: the channel endpoint " + s.host() + ":" + s.port() + " answered"
                + (directTls ? " and its certificate is verified" : " (TLS starts inside the XMPP stream)"));
    }

    /** What the proxy offered and how the test answered it, as diagnose shows it. */
    private static String proxyLogin(ProxyRoute p, ProxyAuthenticator auth) {
        java.util.Map<String, Object> r = auth.status().report();
        Object offered = r.get("offered");
        Object scheme = r.get("scheme");
        if (offered == null || String.valueOf(offered).isEmpty() || "none".equals(scheme)) {
            return "the proxy " + p.host() + ":" + p.port() + " asked for no authentication";
        }
        return "the proxy " + p.host() + ":" + p.port() + " offers " + offered + "; allowed (proxy.authSchemes): "
                + auth.allowedNames() + "; logged in with " + scheme;
    }

    /** {@code proxy.authSchemes}: the schemes the proxy may be answered with; Basic shows the password. */
    private List<ProxyAuth> askSchemes() throws SetupAbort {
        String def = value("proxy.authSchemes").orElse("negotiate,ntlm");
        while (true) {
            String v = ask("proxy.authSchemes", "Schemes to answer the proxy with (negotiate, ntlm, basic; basic "
                    + "sends the password readable to the network)", def);
            try {
                return ProxyKeys.schemes(v);
            } catch (ConfigException e) {
                in.invalid(e.getMessage());
            }
        }
    }

    private TrustMaterial trust(Optional<String> trustStore) throws ProbeFailure {
        try {
            Optional<String> password = value("cloud.trustStorePassword").map(v -> secrets.open("cloud.trustStorePassword", v));
            return TrustMaterial.load(trustStore.map(t -> InstallPaths.resolve(configFile, t)), password);
        } catch (ConfigException e) {
            throw new ProbeFailure(ProbeFailure.Kind.TLS, e.getMessage(), e);
        }
    }

    private String askUrl(String def) throws SetupAbort {
        while (true) {
            String url = ask("cloud.apiUrl", "Cloud API URL (https://...)", def);
            try {
                URI u = new URI(url);
                if ("https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null) {
                    return url;
                }
                in.invalid("cloud.apiUrl: '" + url + "' must be an https:// URL with a host, e.g. https://cloud.example.com");
            } catch (URISyntaxException e) {
                in.invalid("cloud.apiUrl: '" + url + "' is not a URL (" + e.getReason() + ")");
            }
        }
    }

    private String askTrustStore(String def) throws SetupAbort {
        while (true) {
            String t = in.text("cloud.trustStore", "Trust store for the cloud's certificate (PEM or PKCS12 file; "
                    + NONE + ": Java's trusted authorities)", def.isEmpty() ? NONE : def);
            if (t.equalsIgnoreCase(NONE)) {
                return "";
            }
            Path file = InstallPaths.resolve(configFile, t);
            if (Files.isReadable(file)) {
                return t;
            }
            in.invalid("cloud.trustStore: cannot read " + file + "; give the path of the CA certificate file");
        }
    }

    private Optional<String> askActivationCode(Optional<String> typed) throws SetupAbort {
        boolean haveOne = typed.isPresent() || value("activation.code").isPresent() || value("xmpp.username").isPresent();
        while (true) {
            String c = in.secret("activation.code", "Activation code from the cloud console"
                    + (haveOne ? " (Enter keeps the current one)" : ""));
            if (!c.isBlank()) {
                return Optional.of(c.trim());
            }
            if (haveOne) {
                return typed;
            }
            in.invalid("activation.code: an activation code is needed to register this extender; copy it from "
                    + "the cloud console");
        }
    }

    private Optional<ProxyRoute> askProxy(Optional<ProxyRoute> offered) throws SetupAbort {
        String host = ask("proxy.host", "Proxy host (" + NONE + ": connect directly)", offered.map(ProxyRoute::host).orElse(NONE));
        if (host.equalsIgnoreCase(NONE)) {
            return Optional.empty();
        }
        int port = port("proxy.port", "Proxy port", offered.map(p -> Integer.toString(p.port())).orElse("3128"));
        String user = in.text("proxy.username", "Proxy user name (" + NONE + ": no authentication)",
                offered.flatMap(ProxyRoute::username).orElse(NONE));
        if (user.isBlank() || user.equalsIgnoreCase(NONE)) {
            return Optional.of(new ProxyRoute(host, port, Optional.empty(), Optional.empty()));
        }
        Optional<String> known = offered.flatMap(ProxyRoute::password)
                .filter(p -> offered.flatMap(ProxyRoute::username).orElse("").equals(user));
        while (true) {
            String password = in.secret("proxy.password", "Proxy password" + (known.isPresent()
                    ? " (Enter keeps the current one)" : ""));
            if (!password.isEmpty()) {
                return Optional.of(new ProxyRoute(host, port, Optional.of(user), Optional.of(password)));
            }
            if (known.isPresent()) {
                return Optional.of(new ProxyRoute(host, port, Optional.of(user), known));
            }
            in.invalid("proxy.password: the proxy user " + user + " needs a password");
        }
    }

    private String ask(String key, String question, String def) throws SetupAbort {
        while (true) {
            String v = in.text(key, question, def);
            if (!v.isBlank()) {
                return v.trim();
            }
            in.invalid(key + ": an answer is needed");
        }
    }

    private int port(String key, String question, String def) throws SetupAbort {
        while (true) {
            String v = ask(key, question, def);
            try {
                int n = Integer.parseInt(v);
                if (n >= 1 && n <= 65535) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            in.invalid(key + ": '" + v + "' is not a port; write a number from 1 to 65535");
        }
    }

    /** The proxy the current file configures, with its password opened for the test. */
    private Optional<ProxyRoute> currentProxy() {
        int port;
        try {
            port = value("proxy.port").map(Integer::parseInt).orElse(3128);
        } catch (NumberFormatException e) {
            port = 3128; // the admin corrects it when asked
        }
        Optional<String> password;
        try {
            password = value("proxy.password").map(v -> secrets.open("proxy.password", v));
        } catch (ConfigException e) {
            password = Optional.empty(); // sealed on another machine: the admin types it again
        }
        int p = port;
        Optional<String> pw = password;
        return value("proxy.host").map(h -> new ProxyRoute(h, p, value("proxy.username"), pw));
    }

    private static ProxyDecision decision(Optional<ProxyRoute> configured) {
        return configured.map(ProxyDecision::fixed).orElse(ProxyDecision.direct());
    }

    private static String describe(ProxyRoute p) {
        return p.host() + ":" + p.port() + p.username().map(u -> " as " + u).orElse("");
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(current.getProperty(key)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
