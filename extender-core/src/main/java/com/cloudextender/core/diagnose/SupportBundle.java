package com.cloudextender.core.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.cloudextender.core.Version;

/**
 * {@code extender support-bundle}: a zip for the support team with the recent logs (capped), the configuration
 * and the module settings with every secret value replaced by {@code <removed>}, data/status.json, the diagnose
 * report, and the Java and OS versions. Never the machine key folder, the local store or module packages: only
 * the files named here are read.
 */
public final class SupportBundle {
    /** At most this many bytes of logs in all, newest files first. */
    static final long LOG_CAP = 20L << 20;
    /** At most this many bytes (the end) of one log file. */
    static final long FILE_CAP = 5L << 20;

    private final Path configFile;
    private final Path dataDir;
    private final Path modulesDir;
    private final Path logDir;

    public SupportBundle(Path configFile, Path dataDir, Path modulesDir, Path logDir) {
        this.configFile = configFile;
        this.dataDir = dataDir;
        this.modulesDir = modulesDir;
        this.logDir = logDir;
    }

    /** Writes the zip to {@code target} (through a temporary file, so a half bundle is never left). */
    public void write(Path target, String diagnoseReport) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".support-bundle", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
            text(zip, "diagnose.txt", diagnoseReport);
            text(zip, "system.txt", system());
            redacted(zip, "conf/" + configFile.getFileName(), configFile);
            if (Files.isDirectory(modulesDir)) {
                for (Path p : list(modulesDir, "*.properties")) {
                    redacted(zip, "conf/modules/" + p.getFileName(), p);
                }
            }
            Path status = dataDir.resolve("status.json");
            if (Files.isRegularFile(status)) {
                copy(zip, "data/status.json", status, Long.MAX_VALUE);
            }
            logs(zip);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private void logs(ZipOutputStream zip) throws IOException {
        if (!Files.isDirectory(logDir)) {
            return;
        }
        List<Path> files = new ArrayList<>(list(logDir, "*"));
        files.removeIf(p -> !Files.isRegularFile(p));
        files.sort(Comparator.comparing(SupportBundle::modified).reversed());
        long left = LOG_CAP;
        for (Path p : files) {
            if (left <= 0) {
                break;
            }
            long size = Files.size(p);
            long take = Math.min(Math.min(size, FILE_CAP), left);
            copy(zip, "logs/" + p.getFileName(), p, take);
            left -= take;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static void redacted(ZipOutputStream zip, String name, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> lines = SecretRedactor.redact(Files.readAllLines(file, StandardCharsets.UTF_8));
        text(zip, name, String.join("\n", lines) + "\n");
    }

    private static void text(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** The last {@code max} bytes of {@code file} (a log's end is what matters). */
    private static void copy(ZipOutputStream zip, String name, Path file, long max) throws IOException {
        long size = Files.size(file);
        zip.putNextEntry(new ZipEntry(name));
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.max(0, size - max));
            in.transferTo(zip);
        }
        zip.closeEntry();
    }

    private static String system() {
        Runtime rt = Runtime.getRuntime();
        return "Cloud Extender " + Version.current() + "\n"
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")\n"
                + "OS " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "\n"
                + "Processors " + rt.availableProcessors() + ", max heap " + (rt.maxMemory() >> 20) + " MB\n";
    }
}
