package com.cloudextender.core.config;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import com.cloudextender.core.secret.PrivateFiles;
import com.cloudextender.core.secret.SecretBox;

/**
 * Reads and validates the configuration file. Every key is consumed as it is read; a key that is left
 * over is an error (usually a misspelling), and every message names the key and what is wrong.
 *
 * <p>Secrets that an administrator wrote in clear are encrypted in the file on first read, with the
 * machine-bound key, so that they are never at rest in clear.
 */
public final class ConfigLoader {
    /** Keys whose values are secrets: encrypted at rest, never logged. */
    public static final Set<String> SECRET_KEYS =
            Set.of("activation.code", "xmpp.password", "proxy.password", "cloud.trustStorePassword",
                    "status.password", "status.keyStorePassword");

    /** {@code modules.<module id>.minimumVersion}; the id as in a package descriptor. */
    private static final java.util.regex.Pattern MINIMUM_VERSION_KEY =
            java.util.regex.Pattern.compile("modules\\.([a-z][a-z0-9-]{1,31})\\.minimumVersion");

    private ConfigLoader() {
    }

    /** Reads the data directory setting only, which is needed before the machine key can be opened. */
    public static Path dataDir(Path configFile) {
        Properties p = read(configFile);
        String dir = p.getProperty("data.dir", "data").trim();
        return resolve(configFile, "data.dir", dir.isEmpty() ? "data" : dir);
    }

    /**
     * Loads {@code configFile}: seals clear secrets in place, then parses and validates every key.
     *
     * @throws ConfigException naming the key and the problem
     */
    public static ExtenderConfig load(Path configFile, SecretBox secrets) {
        sealClearSecrets(configFile, secrets);
        Properties p = read(configFile);
        Map<String, String> values = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            String v = p.getProperty(name).trim();
            if (!v.isEmpty()) {
                values.put(name, v);
            }
        }
        Reader r = new Reader(values, secrets);
        ExtenderConfig config = parse(configFile, r);
        r.rejectLeftovers();
        return config;
    }

    private static ExtenderConfig parse(Path configFile, Reader r) {
        String host = r.required("cloud.host");
        int port = r.integer("cloud.port", 443, 1, 65535);
        TlsMode tls = r.choice("cloud.tls", TlsMode.DIRECT, s -> TlsMode.valueOf(s.toUpperCase(Locale.ROOT)),
                "direct or starttls");
        String domain = r.optional("cloud.xmppDomain").orElse(host);
        Optional<URI> apiUrl = r.optional("cloud.apiUrl").map(s -> uri("cloud.apiUrl", s));
        List<String> addresses = r.list("cloud.addresses");
        Optional<Path> trustStore = r.optional("cloud.trustStore").map(s -> resolve(configFile, "cloud.trustStore", s));
        trustStore.ifPresent(t -> {
            if (!Files.isReadable(t)) {
                throw new ConfigException("cloud.trustStore: cannot read " + t
                        + "; give the path of a PEM certificate file or a PKCS12 trust store");
            }
        });
        Optional<String> trustPassword = r.secret("cloud.trustStorePassword");

        Optional<String> xmppUser = r.optional("xmpp.username");
        Optional<String> xmppPassword = r.secret("xmpp.password");
        String resource = r.optional("xmpp.resource").orElse("extender");
        if (xmppUser.isPresent() != xmppPassword.isPresent()) {
            throw new ConfigException(xmppUser.isPresent() ? "xmpp.password: missing; xmpp.username is set"
                    : "xmpp.username: missing; xmpp.password is set");
        }
        Optional<ExtenderConfig.XmppAccount> account =
                xmppUser.map(u -> new ExtenderConfig.XmppAccount(u, xmppPassword.orElseThrow(), resource));
        Optional<String> activation = r.secret("activation.code");
        if (account.isEmpty() && activation.isPresent() && apiUrl.isEmpty()) {
            throw new ConfigException("cloud.apiUrl: missing; it is needed to register with activation.code");
        }

        Optional<String> proxyHost = r.optional("proxy.host");
        int proxyPort = r.integer("proxy.port", 3128, 1, 65535);
        Optional<String> proxyUser = r.optional("proxy.username");
        Optional<String> proxyPassword = r.secret("proxy.password");
        if (proxyUser.isPresent() != proxyPassword.isPresent()) {
            throw new ConfigException(proxyUser.isPresent() ? "proxy.password: missing; proxy.username is set"
                    : "proxy.username: missing; proxy.password is set");
        }
        Optional<ExtenderConfig.ProxyConfig> proxy =
                proxyHost.map(h -> new ExtenderConfig.ProxyConfig(h, proxyPort, proxyUser, proxyPassword));
        com.cloudextender.core.proxy.ProxySettings proxySettings =
                com.cloudextender.core.proxy.ProxyKeys.read(r::optional, proxyHost, proxyPort, proxyUser, proxyPassword,
                        (k, d) -> r.duration(k, d));

        ExtenderConfig.Commands commands = commands(r);
        ExtenderConfig.Reconnect reconnect = new ExtenderConfig.Reconnect(
                r.duration("reconnect.initialDelay", Duration.ofSeconds(1)),
                r.duration("reconnect.maxDelay", Duration.ofMinutes(5)));
        if (reconnect.maxDelay().compareTo(reconnect.initialDelay()) < 0) {
            throw new ConfigException("reconnect.maxDelay: must not be shorter than reconnect.initialDelay");
        }
        Duration ping = r.duration("channel.pingInterval", Duration.ofSeconds(60));
        Duration connectTimeout = r.duration("channel.connectTimeout", Duration.ofSeconds(15));
        Duration handshakeTimeout = r.duration("channel.handshakeTimeout", Duration.ofSeconds(5));
        if (handshakeTimeout.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new ConfigException("channel.handshakeTimeout: " + handshakeTimeout.toSeconds()
                    + "s is too long; allowed up to 120s");
        }
        Duration health = r.duration("health.interval", Duration.ofMinutes(5));
        Duration retry = r.duration("outbox.retryInterval", Duration.ofSeconds(30));
        Duration remember = r.duration("outbox.rememberFor", Duration.ofDays(7));
        Path dataDir = resolve(configFile, "data.dir", r.optional("data.dir").orElse("data"));
        String channel = r.choice("release.channel", "stable", s -> {
            if (!s.equals("stable") && !s.equals("pre-release")) {
                throw new IllegalArgumentException();
            }
            return s;
        }, "stable or pre-release");

        ExtenderConfig.Modules modules = new ExtenderConfig.Modules(
                resolve(configFile, "modules.publishers", r.optional("modules.publishers").orElse("conf/publishers")),
                resolve(configFile, "modules.overrides", r.optional("modules.overrides").orElse("conf/modules")),
                r.optional("modules.updateWindow").map(v -> window("modules.updateWindow", v)),
                r.optional("modules.deferUpdatesUntil").map(v -> date("modules.deferUpdatesUntil", v)),
                r.duration("modules.startTimeout", Duration.ofSeconds(60)),
                r.duration("modules.stopTimeout", Duration.ofSeconds(15)),
                r.duration("modules.drainTimeout", Duration.ofSeconds(30)),
                r.integer("modules.maxPackageMegabytes", 256, 1, 4096) * 1024L * 1024L,
                r.bool("modules.allowDevelopmentPublisher", false),
                deniedPublishers(r),
                minimumVersions(r));

        ExtenderConfig.Status status = status(configFile, r);

        ExtenderConfig.Cloud cloud = new ExtenderConfig.Cloud(host, port, tls, domain, apiUrl, addresses,
                trustStore, trustPassword);
        return new ExtenderConfig(cloud, account, activation, proxy, commands, reconnect, ping, connectTimeout,
                handshakeTimeout, health, retry, remember, dataDir, channel, modules, status, proxySettings);
    }

    /** Longest time limit that may be configured: far below where a limit in nanoseconds would overflow. */
    private static final Duration LONGEST_COMMAND_TIMEOUT = Duration.ofDays(7);

    private static ExtenderConfig.Commands commands(Reader r) {
        int workers = r.integer("commands.workers", 8, 1, 1024);
        int queue = r.integer("commands.queue", 1000, 1, 1_000_000);
        Duration timeout = r.duration("commands.timeout", Duration.ofMinutes(5));
        int maxArgumentBytes = r.integer("commands.maxArgumentBytes", 1 << 20, 1024, 64 << 20);
        Duration maxTimeout = r.duration("commands.maxTimeout", Duration.ofHours(1));
        int queueBytes = r.integer("commands.queueBytes", 64 << 20, 1024, 1 << 30);
        if (maxTimeout.compareTo(LONGEST_COMMAND_TIMEOUT) > 0) {
            throw new ConfigException("commands.maxTimeout: " + maxTimeout.toSeconds() + "s is too long; allowed "
                    + "up to 7d");
        }
        if (timeout.compareTo(maxTimeout) > 0) {
            throw new ConfigException("commands.timeout: " + timeout.toSeconds() + "s is longer than "
                    + "commands.maxTimeout (" + maxTimeout.toSeconds() + "s); shorten it or raise commands.maxTimeout");
        }
        if (queueBytes < maxArgumentBytes) {
            throw new ConfigException("commands.queueBytes: " + queueBytes + " is smaller than "
                    + "commands.maxArgumentBytes (" + maxArgumentBytes + "), so a command of the largest allowed size "
                    + "could never be admitted; raise commands.queueBytes or lower commands.maxArgumentBytes");
        }
        return new ExtenderConfig.Commands(workers, queue, timeout, maxArgumentBytes, maxTimeout, queueBytes);
    }

    private static Set<String> deniedPublishers(Reader r) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : r.list("modules.deniedPublishers")) {
            try {
                out.add(com.cloudextender.core.module.pack.PublisherTrust.fingerprint(f));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("modules.deniedPublishers: " + e.getMessage());
            }
        }
        return out;
    }

    /** {@code modules.<id>.minimumVersion} for any module id. */
    private static Map<String, com.cloudextender.core.module.pack.ModuleVersion> minimumVersions(Reader r) {
        Map<String, com.cloudextender.core.module.pack.ModuleVersion> out = new HashMap<>();
        for (String key : r.keysMatching(MINIMUM_VERSION_KEY)) {
            java.util.regex.Matcher m = MINIMUM_VERSION_KEY.matcher(key);
            if (!m.matches()) {
                continue;
            }
            String value = r.required(key);
            try {
                out.put(m.group(1), com.cloudextender.core.module.pack.ModuleVersion.parse(value));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static ExtenderConfig.Status status(Path configFile, Reader r) {
        int port = r.integer("status.port", 8099, 0, 65535);
        String bind = r.optional("status.bind").orElse("127.0.0.1");
        String username = r.optional("status.username").orElse("admin");
        Optional<String> password = r.secret("status.password");
        if (username.contains(":")) {
            throw new ConfigException("status.username: must not contain ':' (HTTP Basic authentication cannot "
                    + "carry it)");
        }
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("status.bind: '" + bind + "' is not an address of this machine; write an IP "
                    + "address such as 127.0.0.1");
        }
        if (port != 0 && !loopback && password.isEmpty()) {
            throw new ConfigException("status.password: missing; it is required when status.bind (" + bind
                    + ") is not a loopback address, because the status page shows the extender's whole state; "
                    + "set a password, or bind to 127.0.0.1");
        }
        Optional<Path> keyStore = r.optional("status.keyStore").map(s -> resolve(configFile, "status.keyStore", s));
        Optional<String> keyStorePassword = r.secret("status.keyStorePassword");
        boolean allowPlaintextRemote = r.bool("status.allowPlaintextRemote", false);
        if (keyStore.isPresent() != keyStorePassword.isPresent()) {
            throw new ConfigException(keyStore.isPresent() ? "status.keyStorePassword: missing; status.keyStore needs it"
                    : "status.keyStore: missing; status.keyStorePassword is set without it");
        }
        if (keyStore.isPresent()) {
            try {
                com.cloudextender.core.status.StatusTls.context(keyStore.get(), keyStorePassword.get());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        if (port != 0 && !loopback && keyStore.isEmpty() && !allowPlaintextRemote) {
            throw new ConfigException("status.keyStore: missing; it is required when status.bind (" + bind
                    + ") is not a loopback address, so that the status password and the page do not cross the "
                    + "network in clear; set status.keyStore and status.keyStorePassword, bind to 127.0.0.1, or "
                    + "accept plain HTTP with status.allowPlaintextRemote=true");
        }
        return new ExtenderConfig.Status(port, bind, username, password, keyStore, keyStorePassword,
                allowPlaintextRemote);
    }

    private static ExtenderConfig.UpdateWindow window(String key, String v) {
        String[] parts = v.split("-");
        try {
            if (parts.length == 2) {
                java.time.LocalTime from = java.time.LocalTime.parse(parts[0].trim());
                java.time.LocalTime to = java.time.LocalTime.parse(parts[1].trim());
                if (!from.equals(to)) {
                    return new ExtenderConfig.UpdateWindow(from, to);
                }
            }
        } catch (java.time.format.DateTimeParseException e) {
            // reported below
        }
        throw new ConfigException(key + ": '" + v + "' is not a daily window such as 02:00-05:00");
    }

    private static java.time.LocalDate date(String key, String v) {
        try {
            return java.time.LocalDate.parse(v.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException(key + ": '" + v + "' is not a date such as 2026-12-31");
        }
    }

    private static URI uri(String key, String s) {
        try {
            URI u = new URI(s);
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new ConfigException(key + ": '" + com.cloudextender.core.net.Urls.shown(u)
                        + "' must be an https:// URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(key + ": not a URL: " + e.getReason());
        }
    }

    private static Path resolve(Path configFile, String key, String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(key + ": not a usable path (" + e.getReason() + ")");
        }
        if (p.isAbsolute()) {
            return p;
        }
        // Relative paths are relative to the installation folder: the parent of conf/.
        Path confDir = configFile.toAbsolutePath().getParent();
        Path base = confDir.getParent() == null ? confDir : confDir.getParent();
        return base.resolve(p).normalize();
    }

    /** " on line N" for the first line with a backslash-u not followed by four hex digits, or "". */
    private static String badEscapeLine(String text) {
        java.util.regex.Pattern bad = java.util.regex.Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u(?![0-9a-fA-F]{4})");
        String[] lines = text.split("\\r\\n|\\r|\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (bad.matcher(lines[i]).find()) {
                return " on line " + (i + 1);
            }
        }
        return "";
    }

    private static Properties read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Properties p = new Properties();
            try {
                p.load(new StringReader(text));
            } catch (IllegalArgumentException e) { // the format's only parse error: a bad \\u escape
                throw new ConfigException("configuration file " + file + " has a malformed \\uXXXX escape"
                        + badEscapeLine(text) + ": a backslash followed by u must start four hex digits;"
                        + " write \\\\u for a backslash and a u", e);
            }
            return p;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rewrites lines {@code key=clear} of secret keys (and values sealed by an earlier version without their
     * name) as {@code key=enc:v2:…}. Works line by line so that the administrator's comments and layout are
     * kept. Writes through an owner-only temporary file and an atomic move ({@link PrivateFiles}), so a crash
     * never leaves a half-written configuration and the file keeps its mode.
     */
    static void sealClearSecrets(Path file, SecretBox secrets) {
        sealClearSecrets(file, secrets, SECRET_KEYS::contains);
    }

    /**
     * Seals the clear values of the keys {@code isSecret} accepts in any properties file (for example an
     * administrator's module overrides), keeping comments and layout; see {@link #load}.
     */
    public static void sealClearSecrets(Path file, SecretBox secrets, java.util.function.Predicate<String> isSecret) {
        PropertiesFileEditor editor;
        try {
            if (!Files.exists(file)) {
                throw new ConfigException("configuration file " + file + " does not exist");
            }
            editor = PropertiesFileEditor.open(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        // Keys and values as the file is read (escapes, continued lines), so no spelling of a secret escapes.
        boolean changed = editor.rewriteValues((key, value) -> isSecret.test(key) ? sealed(key, value, secrets) : value);
        if (!changed) {
            return;
        }
        try {
            editor.write(file);
        } catch (IOException e) {
            throw new ConfigException("cannot write the encrypted secrets back to " + file + ": " + e.getMessage()
                    + "; make the file writable for the service account", e);
        }
    }

    /** The value to keep for a secret key: sealed, or as it is when empty, already sealed, or sealed elsewhere. */
    private static String sealed(String key, String rawValue, SecretBox secrets) {
        String value = rawValue.trim();
        if (value.isEmpty() || SecretBox.isSealed(value) && !SecretBox.isLegacy(value)) {
            return rawValue;
        }
        try {
            // A value sealed by an earlier version, without its name, is sealed again bound to its name.
            return secrets.seal(key, secrets.open(key, value));
        } catch (ConfigException e) {
            return rawValue; // sealed on another machine: reading the file reports it, naming the key
        }
    }

    /** Consumes values key by key, so that what is left over can be reported. */
    private static final class Reader {
        private final Map<String, String> values;
        private final SecretBox secrets;

        Reader(Map<String, String> values, SecretBox secrets) {
            this.values = values;
            this.secrets = secrets;
        }

        Optional<String> optional(String key) {
            return Optional.ofNullable(values.remove(key));
        }

        String required(String key) {
            return optional(key).orElseThrow(() -> new ConfigException(key + ": missing; it has no default"));
        }

        Optional<String> secret(String key) {
            return optional(key).map(v -> secrets.open(key, v));
        }

        int integer(String key, int def, int min, int max) {
            Optional<String> v = optional(key);
            if (v.isEmpty()) {
                return def;
            }
            try {
                int n = Integer.parseInt(v.get());
                if (n < min || n > max) {
                    throw new ConfigException(key + ": " + n + " is out of range; allowed " + min + " to " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + ": '" + v.get() + "' is not a whole number");
            }
        }

        Duration duration(String key, Duration def) {
            Duration d = optional(key).map(v -> Durations.parse(key, v)).orElse(def);
            if (d.isZero() || d.isNegative()) {
                throw new ConfigException(key + ": must be longer than zero");
            }
            return d;
        }

        /** {@code true} or {@code false} (any case); anything else is refused naming the key. */
        boolean bool(String key, boolean def) {
            return choice(key, def, s -> switch (s.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(s);
            }, "true or false");
        }

        /** The keys present (not consumed yet) that {@code pattern} matches, sorted. */
        List<String> keysMatching(java.util.regex.Pattern pattern) {
            return values.keySet().stream().filter(k -> pattern.matcher(k).matches()).sorted().toList();
        }

        <T> T choice(String key, T def, Function<String, T> parse, String allowed) {
            Optional<String> v = optional(key);
            if (v.isEmpty()) {
                return def;
            }
            try {
                return parse.apply(v.get().trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": '" + v.get() + "' is not allowed; write " + allowed);
            }
        }

        List<String> list(String key) {
            return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList()).orElse(List.of());
        }

        void rejectLeftovers() {
            if (!values.isEmpty()) {
                Set<String> unknown = new LinkedHashSet<>(values.keySet().stream().sorted().toList());
                throw new ConfigException("unknown configuration key(s) " + unknown
                        + "; check the spelling against conf/extender.properties");
            }
        }
    }
}
