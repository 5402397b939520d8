package com.cloudextender.core.secret;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * DPAPI through Windows PowerShell's {@code [System.Security.Cryptography.ProtectedData]} in
 * {@code LocalMachine} scope. The JDK has no DPAPI binding and the project has no native-access library; the
 * salt is sealed once at the first start and opened once per start, so a short PowerShell call is enough.
 * The bytes travel through the child's standard input and output, never its command line (which other users
 * can list). Not executed by any test here: the project's tests run on Linux.
 */
final class PowerShellDpapi implements Dpapi {
    /** Fixed extra input, so that a blob sealed for this purpose is not one any other DPAPI caller opens by chance. */
    private static final String ENTROPY = "cloudextender-machine-salt-v1";
    private static final String SCRIPT = "$ErrorActionPreference='Stop';"
            + "Add-Type -AssemblyName System.Security;"
            + "$in=[Convert]::FromBase64String([Console]::In.ReadToEnd().Trim());"
            + "$e=[Text.Encoding]::UTF8.GetBytes('" + ENTROPY + "');"
            + "$s=[System.Security.Cryptography.DataProtectionScope]::LocalMachine;"
            + "$out=[System.Security.Cryptography.ProtectedData]::%s($in,$e,$s);"
            + "[Console]::Out.Write([Convert]::ToBase64String($out))";

    @Override
    public byte[] protect(byte[] clear) throws IOException {
        return run("Protect", clear);
    }

    @Override
    public byte[] unprotect(byte[] sealed) throws IOException {
        return run("Unprotect", sealed);
    }

    private static byte[] run(String method, byte[] input) throws IOException {
        Process p = new ProcessBuilder("powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy",
                "Bypass", "-Command", SCRIPT.formatted(method)).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(Base64.getEncoder().encode(input));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("DPAPI " + method + " through PowerShell did not end within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while waiting for PowerShell", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("DPAPI " + method + " through PowerShell failed (exit " + p.exitValue() + "): " + err);
        }
        try {
            return Base64.getDecoder().decode(new String(out, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("DPAPI " + method + " through PowerShell gave no Base64 answer: " + err, e);
        }
    }
}
