package com.cloudextender.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap another JVM uses after a full collection: {@code jcmd <pid> GC.run}, then {@code GC.heap_info},
 * whose generation lines say what is used. A forced full collection makes the figure comparable from one
 * sample to the next (between collections the used heap only says how much garbage has piled up). The
 * extender runs with the serial collector ({@code ExtenderProcess}); the parallel and G1 lines are read too.
 */
public final class HeapAfterGc {
    /** "def new generation   total 78656K, used 1234K", "tenured generation …", "garbage-first heap …". */
    private static final Pattern USED = Pattern.compile(
            "(?m)^\\s*(def new generation|tenured generation|PSYoungGen|ParOldGen|garbage-first heap)\\s+total \\d+K, used (\\d+)K");
    private static final long JCMD_LIMIT_SECONDS = 30;

    private final String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();

    /** Collects the heap of process {@code pid} and returns what stays used, in KiB. */
    public long usedKiB(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        return parseUsedKiB(jcmd(pid, "GC.heap_info"));
    }

    /** The used KiB of every generation in a {@code GC.heap_info} text. */
    static long parseUsedKiB(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        long used = 0;
        boolean any = false;
        while (m.find()) {
            used += Long.parseLong(m.group(2));
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("no heap generation in the GC.heap_info output: " + heapInfo);
        }
        return used;
    }

    private String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(JCMD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " did not end within " + JCMD_LIMIT_SECONDS + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " exited with " + p.exitValue() + ": " + text);
        }
        return text;
    }
}
