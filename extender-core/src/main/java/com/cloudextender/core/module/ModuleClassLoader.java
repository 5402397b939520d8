package com.cloudextender.core.module;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one loaded module version. Parent-last and closed: the JDK comes from the
 * platform class loader, the module SPI and the logging API from the host, and everything else only
 * from the module's own jars. A module therefore never sees the host's libraries (it cannot come to
 * depend on the core's Jackson by accident), and two modules may bundle different versions of one
 * library.
 */
final class ModuleClassLoader extends URLClassLoader {
    /** Packages the host shares with every module; kept short on purpose, like the SPI itself. */
    static final List<String> SHARED_PREFIXES = List.of("com.cloudextender.api.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;
    private final String label;

    ModuleClassLoader(String label, List<Path> jars, ClassLoader host) {
        super("module-" + label, urls(jars), ClassLoader.getPlatformClassLoader());
        this.host = host;
        this.label = label;
    }

    private static URL[] urls(List<Path> jars) {
        return jars.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (IOException e) {
                throw new IllegalArgumentException("bad jar path " + p, e);
            }
        }).toArray(URL[]::new);
    }

    static boolean isShared(String name) {
        for (String prefix : SHARED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        // The parent is the platform loader: JDK classes first, then the module's own jars.
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name.replace('/', '.'))) {
            return host.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isShared(name.replace('/', '.'))) {
            return host.getResources(name);
        }
        if (name.startsWith("META-INF/services/org.slf4j.")) {
            return Collections.emptyEnumeration(); // a bundled SLF4J provider must not shadow the host's logging
        }
        return super.getResources(name);
    }

    @Override
    public String toString() {
        return "ModuleClassLoader[" + label + "]";
    }
}
