package com.cloudextender.devcloud.modules;

import com.cloudextender.core.module.pack.ModuleVersion;
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

    /**
     * Validates {@code properties} with the extender's own descriptor parser, so that the cloud refuses
     * exactly what an extender would refuse, with the same messages.
     */
    static ModuleDescriptor parse(Properties properties) throws PackageRefusedException {
        java.io.StringWriter text = new java.io.StringWriter();
        try {
            properties.store(text, null);
            com.cloudextender.core.module.pack.ModuleDescriptor d = com.cloudextender.core.module.pack.ModuleDescriptor
                    .parse(new java.io.ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), FILE);
            return new ModuleDescriptor(d.id(), d.version(), d.coreMinVersion().toString(), d.actions());
        } catch (com.cloudextender.core.module.pack.ModulePackageException e) {
            throw PackageRefusedException.invalid(e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The package's file name in the repository: {@code <id>-<version>.cxm}. */
    public String fileName() {
        return id + "-" + version + ".cxm";
    }
}
