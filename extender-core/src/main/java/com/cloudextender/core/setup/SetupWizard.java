package com.cloudextender.core.setup;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import com.cloudextender.core.secret.SecretBox;

/**
 * {@code extender setup}: the cloud and activation code, the proxy (tested by reaching the cloud), the directory
 * (optional, tested live), then the files written with secrets sealed. The same steps serve a person at a
 * terminal and an answers file; only {@link SetupInput} differs.
 */
public final class SetupWizard {
    private final SetupInput in;
    private final Path configFile;
    private final SecretBox secrets;

    public SetupWizard(SetupInput in, Path configFile, SecretBox secrets) {
        this.in = in;
        this.configFile = configFile;
        this.secrets = secrets;
    }

    /**
     * Runs every step and writes the files.
     *
     * @param directoryWanted for an answers file: whether it answers the directory step; ignored for a person,
     *                        who is asked
     * @return the files written
     * @throws SetupAbort with the exit code of the failure, or {@link SetupAbort#CANCELLED}
     */
    public List<Path> run(boolean directoryWanted) throws SetupAbort {
        in.say("Cloud Extender setup: " + configFile.toAbsolutePath());
        in.say("Each step is tested before anything is written. Secrets are never shown and are stored encrypted.");
        Properties current = read(configFile);
        CloudSettings cloud = new CloudStep(in, configFile, current, secrets).run();

        Path directoryFile = overridesDir(current).resolve("directory.properties");
        Properties directoryCurrent = read(directoryFile);
        boolean wanted = in.interactive()
                ? askDirectory(Files.exists(directoryFile))
                : directoryWanted;
        Optional<DirectorySettings> directory = new DirectoryStep(in, configFile, directoryCurrent, secrets).run(wanted);

        in.say("");
        in.say("Step 4: write the configuration");
        in.say("  " + configFile + ": cloud " + cloud.host() + ":" + cloud.port() + ", API " + cloud.apiUrl()
                + ", proxy " + cloud.proxy().map(p -> p.host() + ":" + p.port()).orElse("none")
                + (cloud.activationCode().isPresent() ? ", new activation code" : ""));
        directory.ifPresent(d -> in.say("  " + directoryFile + ": profile " + d.profile() + " (" + d.type() + "), "
                + String.join(",", d.servers()) + ", base " + d.baseDn()));
        if (in.interactive() && !in.yesNo("write", "Write these settings", true)) {
            throw new SetupAbort(SetupAbort.CANCELLED, "setup cancelled; nothing was written");
        }
        List<Path> written = new SetupWriter(configFile, secrets).write(cloud, directory);
        for (Path p : written) {
            in.say("  Written: " + p + " (secrets encrypted with this machine's key)");
        }
        in.say("");
        in.say("Setup complete. Start the extender (bin/extender run, or systemctl start cloud-extender), then check it "
                + "with bin/extender status or bin/extender diagnose.");
        return written;
    }

    private boolean askDirectory(boolean configured) throws SetupAbort {
        in.say("");
        return in.yesNo("directory", "Set up the directory connection (AD/LDAP) now", configured);
    }

    private Path overridesDir(Properties current) {
        String dir = current.getProperty("modules.overrides", "conf/modules").trim();
        return InstallPaths.resolve(configFile, dir.isEmpty() ? "conf/modules" : dir);
    }

    private static Properties read(Path file) throws SetupAbort {
        Properties p = new Properties();
        if (!Files.exists(file)) {
            return p;
        }
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return p;
        } catch (IOException | IllegalArgumentException e) {
            throw new SetupAbort(SetupAbort.CANNOT_WRITE, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
