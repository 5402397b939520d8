package com.cloudextender.core.setup;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.cloudextender.api.ProxyRoute;
import com.cloudextender.core.config.ConfigException;
import com.cloudextender.core.config.ConfigLoader;
import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.config.PropertiesFileEditor;
import com.cloudextender.core.secret.PrivateFiles;
import com.cloudextender.core.secret.SecretBox;

/**
 * Step (d): writes the answers into conf/extender.properties and conf/modules/directory.properties, editing key
 * lines in place so comments and unrelated keys stay. Secrets are sealed with the machine key before they are
 * written, so no secret is at rest in clear, not even for a moment. The new configuration is checked with the
 * extender's own loader before it replaces the old one.
 */
final class SetupWriter {
    private final Path configFile;
    private final SecretBox secrets;

    SetupWriter(Path configFile, SecretBox secrets) {
        this.configFile = configFile;
        this.secrets = secrets;
    }

    /**
     * Writes both files.
     *
     * @return the files written
     * @throws SetupAbort {@link SetupAbort#CANNOT_WRITE} naming the file and the problem
     */
    List<Path> write(CloudSettings cloud, Optional<DirectorySettings> directory) throws SetupAbort {
        List<Path> written = new ArrayList<>();
        ExtenderConfig config = writeExtenderConfig(cloud);
        written.add(configFile);
        if (directory.isPresent()) {
            Path file = config.modules().overrides().resolve("directory.properties");
            writeDirectory(file, directory.get());
            written.add(file);
        }
        return written;
    }

    private ExtenderConfig writeExtenderConfig(CloudSettings c) throws SetupAbort {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("cloud.host", c.host());
        values.put("cloud.port", Integer.toString(c.port()));
        values.put("cloud.apiUrl", c.apiUrl().toString());
        values.put("cloud.trustStore", c.trustStore().orElse(null));
        c.activationCode().ifPresent(code -> values.put("activation.code", secrets.seal("activation.code", code)));
        Optional<ProxyRoute> p = c.proxy();
        values.put("proxy.host", p.map(ProxyRoute::host).orElse(null));
        values.put("proxy.port", p.map(r -> Integer.toString(r.port())).orElse(null));
        values.put("proxy.username", p.flatMap(ProxyRoute::username).orElse(null));
        values.put("proxy.password", p.flatMap(ProxyRoute::password).map(pw -> secrets.seal("proxy.password", pw)).orElse(null));
        values.put("proxy.authSchemes", p.flatMap(ProxyRoute::username).isPresent()
                ? c.authSchemes().stream().map(com.cloudextender.core.proxy.ProxyAuth::configName)
                        .collect(java.util.stream.Collectors.joining(","))
                : null);
        Path candidate = configFile.resolveSibling(configFile.getFileName() + ".new");
        try {
            PropertiesFileEditor.open(configFile).set(values).write(candidate);
            PrivateFiles.keepMode(configFile, candidate);
            // Checked by the extender's own loader first, so that setup never leaves a file the extender refuses.
            ExtenderConfig config = ConfigLoader.load(candidate, secrets);
            Files.move(candidate, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return config;
        } catch (ConfigException e) {
            deleteQuietly(candidate);
            throw new SetupAbort(SetupAbort.CANNOT_WRITE, "the new configuration would not load (" + e.getMessage()
                    + "); " + configFile + " was left unchanged. Correct the key in it, then run setup again");
        } catch (IOException e) {
            deleteQuietly(candidate);
            throw new SetupAbort(SetupAbort.CANNOT_WRITE, "cannot write " + configFile + ": " + e.getMessage()
                    + "; run setup as the service account, which needs write access to conf/");
        }
    }

    private void writeDirectory(Path file, DirectorySettings d) throws SetupAbort {
        try {
            Properties current = new Properties();
            if (Files.exists(file)) {
                current.load(new StringReader(Files.readString(file)));
            }
            List<String> profiles = new ArrayList<>(Arrays.stream(current.getProperty("profiles", "").split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList());
            if (!profiles.contains(d.profile())) {
                profiles.add(0, d.profile());
            }
            String p = "profile." + d.profile() + ".";
            Map<String, String> values = new LinkedHashMap<>();
            values.put("profiles", String.join(",", profiles));
            values.put(p + "type", d.type());
            values.put(p + "servers", String.join(",", d.servers()));
            values.put(p + "startTls", Boolean.toString(d.startTls()));
            // The directory module refuses ldap:// without StartTLS unless the profile says plain LDAP is accepted;
            // the wizard asked and warned, so an answer of "no StartTLS" is written as that acceptance.
            boolean plain = !d.startTls() && d.servers().stream()
                    .anyMatch(u -> u.toLowerCase(java.util.Locale.ROOT).startsWith("ldap://"));
            values.put(p + "allowPlaintext", plain ? "true" : null);
            values.put(p + "bindDn", d.bindDn());
            values.put(p + "bindPassword", secrets.seal(p + "bindPassword", d.bindPassword()));
            values.put(p + "baseDn", d.baseDn());
            values.put(p + "trustStore", d.trustStore().map(t -> InstallPaths.resolve(configFile, t).toString()).orElse(null));
            if (!d.includeOus().isEmpty()) {
                List<String> synced = new ArrayList<>(Arrays.stream(current.getProperty("sync.profiles", "").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList());
                if (!synced.contains(d.profile())) {
                    synced.add(d.profile());
                }
                values.put("sync.profiles", String.join(",", synced));
                values.put("sync." + d.profile() + ".includeOus", String.join(";", d.includeOus()));
            }
            PropertiesFileEditor editor = Files.exists(file) ? PropertiesFileEditor.open(file)
                    : PropertiesFileEditor.of(List.of(
                            "# Local settings of the directory module (modules/directory/README.md); they override",
                            "# what the cloud sends. Secrets are encrypted with this machine's key (enc:v2:...)."));
            editor.set(values).write(file);
        } catch (IOException e) {
            throw new SetupAbort(SetupAbort.CANNOT_WRITE, "cannot write " + file + ": " + e.getMessage()
                    + "; run setup as the service account, which needs write access to conf/modules/");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the candidate holds sealed values only; a leftover is harmless
        }
    }
}
