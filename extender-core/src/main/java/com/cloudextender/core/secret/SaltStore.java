package com.cloudextender.core.secret;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Keeps the random 32-byte salt that, with the machine id, makes the {@link MachineKey}. How it is kept
 * depends on the platform: on Linux and macOS an owner-only file ({@link SaltFile}); on Windows a blob sealed
 * with DPAPI in machine scope ({@link DpapiSaltFile}), which cannot be opened on another machine.
 */
public interface SaltStore {
    /** Length of the salt in bytes. */
    int SALT_BYTES = 32;

    /**
     * The salt kept in {@code keysDir}, created on first use.
     *
     * @throws IllegalStateException naming the file when it is damaged or cannot be opened
     */
    byte[] loadOrCreate(Path keysDir);

    /** In plain words, for the log and diagnostics. */
    String description();

    /** The store for the platform this extender runs on. */
    static SaltStore forThisMachine() {
        return forOs(System.getProperty("os.name", ""), PowerShellDpapi::new);
    }

    /** Windows gets DPAPI (through {@code dpapi}); every other system the owner-only salt file. */
    static SaltStore forOs(String osName, Supplier<Dpapi> dpapi) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows") ? new DpapiSaltFile(dpapi.get())
                : new SaltFile();
    }
}
