package com.cloudextender.devcloud.modules;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * What the cloud reads from a package's {@code module.properties}: enough to index and choose it. The
 * extender checks the rest (signature, digests, jars) when it installs the package.
 *
 * @param id the module id
 * @param version its version
 * @param coreMinVersion the oldest extender core it runs on
 * @param actions the actions it offers
 */
public record ModuleDescriptor(String id, ModuleVersion version, String coreMinVersion, List<String> actions) {
    /** The descriptor's name inside a package. */
    public static final String FILE = "module.properties";

    /** docs/MODULE-PACKAGE.md; also safe as a file name part and in URLs. */
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,31}");
    /** Built into every extender: a package cannot replace them. */
    private static final Set<String> RESERVED = Set.of("core", "modules");

    public ModuleDescriptor {
        actions = List.copyOf(actions);
    }

    /**
     * Reads the descriptor of the package {@code zip}.
     *
     * @throws PackageRefusedException if it is not a zip, has no {@code module.properties}, or a property is
     *             missing or malformed (the message names it)
     */
    public static ModuleDescriptor read(Path zip) throws PackageRefusedException, IOException {
        Properties properties = new Properties();
        try (ZipFile file = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            ZipEntry entry = file.getEntry(FILE);
            if (entry == null || entry.isDirectory()) {
                throw PackageRefusedException.invalid("the package has no " + FILE + " at its root; a module package "
                        + "holds module.properties, lib/*.jar, DIGESTS and DIGESTS.p7s");
            }
            try (InputStream in = file.getInputStream(entry)) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (ZipException e) {
            throw PackageRefusedException.invalid("the package is not a zip file (" + e.getMessage()
                    + "); build it as <id>-<version>.cxm, a zip with module.properties, lib/*.jar and DIGESTS");
        } catch (IllegalArgumentException e) {
            throw PackageRefusedException.invalid(FILE + " cannot be read as Java properties: " + e.getMessage());
        }
        return parse(properties);
    }

    /** Validates {@code properties}; package-private for tests. */
    static ModuleDescriptor parse(Properties properties) throws PackageRefusedException {
        String id = required(properties, "id");
        if (!ID.matcher(id).matches()) {
            throw PackageRefusedException.invalid(FILE + ": id '" + id + "' is not valid; use 2 to 32 lower-case "
                    + "letters, digits and '-', starting with a letter");
        }
        if (RESERVED.contains(id)) {
            throw PackageRefusedException.invalid(FILE + ": id '" + id + "' is reserved for the extender's built-in "
                    + "module; choose another id");
        }
        ModuleVersion version;
        try {
            version = ModuleVersion.parse(required(properties, "version"));
        } catch (IllegalArgumentException e) {
            throw PackageRefusedException.invalid(FILE + " of module '" + id + "': version " + e.getMessage());
        }
        String coreMin = required(properties, "core.minVersion");
        try {
            ModuleVersion.parse(coreMin);
        } catch (IllegalArgumentException e) {
            throw PackageRefusedException.invalid(FILE + " of module '" + id + "': core.minVersion " + e.getMessage());
        }
        List<String> actions = Arrays.stream(required(properties, "actions").split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).toList();
        if (actions.isEmpty()) {
            throw PackageRefusedException.invalid(FILE + " of module '" + id + "': actions lists no action; "
                    + "give a comma-separated list such as 'sync,status'");
        }
        return new ModuleDescriptor(id, version, coreMin, actions);
    }

    private static String required(Properties properties, String key) throws PackageRefusedException {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            String module = properties.getProperty("id");
            throw PackageRefusedException.invalid(FILE + (module == null || module.isBlank() ? "" : " of module '"
                    + module.trim() + "'") + ": property '" + key + "' is missing");
        }
        return value.trim();
    }

    /** The package's file name in the repository: {@code <id>-<version>.cxm}. */
    public String fileName() {
        return id + "-" + version.text() + ".cxm";
    }
}
