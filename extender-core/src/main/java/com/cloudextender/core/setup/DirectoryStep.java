package com.cloudextender.core.setup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.diagnose.DirectoryProbe;
import com.cloudextender.core.diagnose.ProbeFailure;
import com.cloudextender.core.secret.SecretBox;
import com.cloudextender.core.tls.TrustMaterial;

/**
 * Step (c), optional: the directory connection, tested live. Binds with the service account (asking again
 * after a refusal), offers the naming contexts as base DN and the OUs under it, and tries one user's login.
 * The test user's password is only used for that bind.
 */
final class DirectoryStep {
    private static final List<String> TYPES = List.of("activeDirectory", "openLdap", "domino", "oracle", "eDirectory");
    private static final int TIMEOUT_MILLIS = 10_000;

    private final SetupInput in;
    private final Path configFile;
    private final Properties current;
    private final SecretBox secrets;

    /**
     * @param current the current conf/modules/directory.properties (empty when there is none)
     */
    DirectoryStep(SetupInput in, Path configFile, Properties current, SecretBox secrets) {
        this.in = in;
        this.configFile = configFile;
        this.current = current;
        this.secrets = secrets;
    }

    /** Empty when the administrator skips the directory. */
    Optional<DirectorySettings> run(boolean wanted) throws SetupAbort {
        in.say("");
        in.say("Step 3: the directory (optional)");
        if (!wanted) {
            in.say("  Skipped.");
            return Optional.empty();
        }
        String profile = Arrays.stream(value("profiles").orElse("corp").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).findFirst().orElse("corp");
        profile = in.text("directory.profile", "Profile name", profile);
        String p = "profile." + profile + ".";
        String type = value(p + "type").orElse("activeDirectory");
        String servers = value(p + "servers").orElse("");
        boolean startTls = Boolean.parseBoolean(value(p + "startTls").orElse("false"));
        String trustStore = value(p + "trustStore").orElse("");
        String bindDn = value(p + "bindDn").orElse("");
        Optional<String> knownPassword = knownPassword(p + "bindPassword");
        while (true) {
            type = choice(type);
            servers = required("directory.servers", "Servers, tried in order (ldaps://host:636 or ldap://host:389, "
                    + "comma-separated)", servers);
            List<String> urls = Arrays.stream(servers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            boolean plain = urls.stream().anyMatch(u -> u.toLowerCase(Locale.ROOT).startsWith("ldap://"));
            startTls = plain && in.yesNo("directory.startTls", "Upgrade ldap:// with StartTLS (recommended)", startTls);
            if (plain && !startTls) {
                in.say("  Note: without ldaps:// or StartTLS, passwords cross the network in clear.");
            }
            boolean usesTls = startTls || urls.stream().anyMatch(u -> u.toLowerCase(Locale.ROOT).startsWith("ldaps://"));
            trustStore = usesTls ? askTrustStore(trustStore) : trustStore;
            String newDn = required("directory.bindDn", "Service account (DN, or user@domain for Active Directory)", bindDn);
            if (!newDn.equals(bindDn)) {
                knownPassword = Optional.empty();
            }
            bindDn = newDn;
            String password = in.secret("directory.bindPassword", "Service account password"
                    + (knownPassword.isPresent() ? " (Enter keeps the current one)" : ""));
            if (password.isEmpty() && knownPassword.isPresent()) {
                password = knownPassword.get();
            }
            in.say("  Testing: bind as " + bindDn + " ...");
            try (DirectoryProbe probe = DirectoryProbe.bind(new DirectoryProbe.Settings(urls, startTls, bindDn, type),
                    password, trust(trustStore), TIMEOUT_MILLIS)) {
                in.say("  OK: " + probe.server() + " accepted the service account");
                knownPassword = Optional.of(password);
                String baseDn = askBaseDn(probe, value(p + "baseDn").orElse(""));
                List<String> ous = askOus(probe, baseDn);
                testUser(probe, baseDn);
                return Optional.of(new DirectorySettings(profile, type, urls, startTls, bindDn, password, baseDn,
                        trustStore.isEmpty() ? Optional.empty() : Optional.of(trustStore), ous));
            } catch (ProbeFailure e) {
                in.testFailed(e.getMessage(), e.kind() == ProbeFailure.Kind.DIRECTORY_USER ? SetupAbort.DIRECTORY_USER
                        : SetupAbort.DIRECTORY_BIND);
            }
        }
    }

    private String askBaseDn(DirectoryProbe probe, String def) throws SetupAbort, ProbeFailure {
        List<String> contexts = probe.namingContexts();
        if (!contexts.isEmpty()) {
            in.say("  Naming contexts on the server:");
            for (int i = 0; i < contexts.size(); i++) {
                in.say("    " + (i + 1) + ") " + contexts.get(i));
            }
        }
        String fallback = def.isEmpty() && !contexts.isEmpty() ? contexts.get(0) : def;
        while (true) {
            String answer = required("directory.baseDn", "Base DN where users and groups are searched (number or DN)",
                    fallback);
            String base = pick(answer, contexts);
            try {
                probe.topOus(base);
                return base;
            } catch (ProbeFailure e) {
                in.testFailed(e.getMessage(), SetupAbort.DIRECTORY_BIND);
            }
        }
    }

    private List<String> askOus(DirectoryProbe probe, String baseDn) throws SetupAbort, ProbeFailure {
        List<String> ous = probe.topOus(baseDn);
        if (ous.isEmpty()) {
            in.say("  No OU under " + baseDn + ": the whole base DN is used.");
            return List.of();
        }
        in.say("  OUs under " + baseDn + ":");
        for (int i = 0; i < ous.size(); i++) {
            in.say("    " + (i + 1) + ") " + ous.get(i));
        }
        String answer = in.text("directory.includeOus", "OUs whose users the cloud sees (numbers or DNs separated by "
                + "';'; Enter: the whole base DN)", "");
        List<String> picked = new ArrayList<>();
        for (String part : answer.split(";")) {
            if (!part.isBlank()) {
                for (String one : part.trim().matches("[0-9 ,]+") ? part.trim().split("[ ,]+") : new String[] {part.trim()}) {
                    picked.add(pick(one, ous));
                }
            }
        }
        return picked;
    }

    private void testUser(DirectoryProbe probe, String baseDn) throws SetupAbort {
        while (true) {
            String user = in.text("directory.testUser", "Test a user's login: user name (Enter to skip)", "");
            if (user.isBlank()) {
                in.say("  User login not tested.");
                return;
            }
            String password = in.secret("directory.testPassword", "Password of " + user + " (used for this test only)");
            try {
                String dn = probe.authenticate(baseDn, user, password);
                in.say("  OK: " + user + " logged in (" + dn + ")");
                return;
            } catch (ProbeFailure e) {
                in.testFailed(e.getMessage(), SetupAbort.DIRECTORY_USER);
            }
        }
    }

    /** A number picks from {@code options}; anything else is taken as written. */
    private static String pick(String answer, List<String> options) {
        String a = answer.trim();
        if (a.matches("[0-9]+")) {
            int n = Integer.parseInt(a);
            if (n >= 1 && n <= options.size()) {
                return options.get(n - 1);
            }
        }
        return a;
    }

    private String choice(String def) throws SetupAbort {
        while (true) {
            String t = in.text("directory.type", "Directory type (" + String.join(", ", TYPES) + ")", def);
            for (String known : TYPES) {
                if (known.equalsIgnoreCase(t.trim())) {
                    return known;
                }
            }
            in.invalid("directory.type: '" + t + "' is not one of " + TYPES);
        }
    }

    private String askTrustStore(String def) throws SetupAbort {
        while (true) {
            String t = in.text("directory.trustStore", "CA certificate file (PEM) for the directory's certificate "
                    + "(none: Java's trusted authorities)", def.isEmpty() ? "none" : def);
            if (t.equalsIgnoreCase("none")) {
                return "";
            }
            if (Files.isReadable(InstallPaths.resolve(configFile, t))) {
                return t;
            }
            in.invalid("directory.trustStore: cannot read " + InstallPaths.resolve(configFile, t));
        }
    }

    private javax.net.ssl.X509TrustManager trust(String trustStore) throws ProbeFailure {
        try {
            return TrustMaterial.load(trustStore.isEmpty() ? Optional.empty()
                    : Optional.of(InstallPaths.resolve(configFile, trustStore)), Optional.empty()).trustManager();
        } catch (ConfigException e) {
            throw new ProbeFailure(ProbeFailure.Kind.DIRECTORY_BIND, "the directory trust store " + trustStore
                    + " cannot be used: " + e.getMessage(), e);
        }
    }

    private String required(String key, String question, String def) throws SetupAbort {
        while (true) {
            String v = in.text(key, question, def);
            if (!v.isBlank()) {
                return v.trim();
            }
            in.invalid(key + ": an answer is needed");
        }
    }

    private Optional<String> knownPassword(String key) {
        try {
            return value(key).map(v -> secrets.open("directory.properties", key, v));
        } catch (ConfigException e) {
            return Optional.empty(); // sealed on another machine: asked again
        }
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(current.getProperty(key)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
