package com.cloudextender.core.module;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.cloudextender.api.ExtenderModule;

/**
 * Builds module jars on the fly for tests: compiles Java sources against the SPI (and optional extra
 * jars) with the JDK's compiler and packs the classes, so that fixture modules (ones that throw in
 * start, hang in stop, bundle a library…) are real jars loaded through real class loaders.
 */
final class ModuleJars {
    private ModuleJars() {
    }

    /** Compiles {@code sources} (binary class name → source text) into {@code jar}. */
    static Path compile(Path jar, Map<String, String> sources, List<Path> classpath) {
        try {
            Path src = Files.createTempDirectory(jar.getParent(), "src");
            Path classes = Files.createTempDirectory(jar.getParent(), "classes");
            List<String> files = new ArrayList<>();
            for (var e : sources.entrySet()) {
                Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                files.add(f.toString());
            }
            List<String> cp = new ArrayList<>(List.of(location(ExtenderModule.class), location(org.slf4j.Logger.class)));
            classpath.forEach(p -> cp.add(p.toString()));
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17", "-nowarn",
                    "-classpath", String.join(java.io.File.pathSeparator, cp)));
            args.addAll(files);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int rc = javac.run(null, null, null, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("fixture sources do not compile (see the output above)");
            }
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                    Stream<Path> walk = Files.walk(classes)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    zip.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    zip.write(Files.readAllBytes(p));
                    zip.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The source of a simple module class {@code pkg.Main} whose {@code hello} action answers
     * {@code {"version":"<marker>"}} and whose behaviour at each life-cycle step is given as Java
     * statements.
     */
    static String module(String pkg, String marker, String onStart, String onStop, String extraActions) {
        return """
                package %s;
                import java.util.*;
                import com.cloudextender.api.*;
                public class Main implements ExtenderModule {
                    public static volatile ModuleContext context;
                    public void start(ModuleContext c) throws Exception { context = c; %s }
                    public void stop() throws Exception { %s }
                    public Map<String, ActionHandler> actions() {
                        Map<String, ActionHandler> m = new HashMap<>();
                        m.put("hello", cmd -> CommandResult.ok("{\\"version\\":\\"%s\\"}"));
                        %s
                        return m;
                    }
                }
                """.formatted(pkg, onStart, onStop, marker, extraActions);
    }

    /** A module.properties text. */
    static String descriptor(String id, String version, String mainClass, String actions, String extra) {
        return "id=" + id + "\nversion=" + version + "\ncore.minVersion=0.1.0\nmain.class=" + mainClass + "\nactions="
                + actions + "\n" + extra;
    }
}
