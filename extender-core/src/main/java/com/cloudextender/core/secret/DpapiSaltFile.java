package com.cloudextender.core.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Windows store: the salt sealed with DPAPI in machine scope in {@code keys/machine.salt.dpapi}. A copy
 * of the data folder (a backup, a disk image) cannot be opened on another machine, and on this one the
 * folder's ACL (install-service.ps1: SYSTEM, Administrators and the service account only) keeps other users
 * from the blob. A clear {@code keys/machine.salt} left by an earlier version is sealed at the next start and
 * then deleted, so the key (and every secret sealed under it) stays the same.
 */
final class DpapiSaltFile implements SaltStore {
    static final String FILE = "machine.salt.dpapi";

    private final Dpapi dpapi;

    DpapiSaltFile(Dpapi dpapi) {
        this.dpapi = dpapi;
    }

    @Override
    public byte[] loadOrCreate(Path keysDir) {
        Path sealed = keysDir.resolve(FILE);
        Path clear = keysDir.resolve(SaltFile.FILE);
        try {
            if (Files.exists(sealed)) {
                byte[] salt;
                try {
                    salt = dpapi.unprotect(Files.readAllBytes(sealed));
                } catch (IOException e) {
                    throw new IllegalStateException(sealed + " cannot be opened with DPAPI on this machine (" + e
                            .getMessage() + "); it was sealed on another machine, or is damaged. Remove the data "
                            + "folder's keys/ and register the extender again", e);
                }
                Files.deleteIfExists(clear); // a migration that stopped between sealing and deleting
                return SaltFile.check(sealed, salt);
            }
            byte[] salt = Files.exists(clear) ? SaltFile.check(clear, Files.readAllBytes(clear)) : SaltFile.newSalt();
            PrivateFiles.write(sealed, dpapi.protect(salt));
            Files.deleteIfExists(clear);
            return salt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the DPAPI-sealed key salt " + sealed, e);
        }
    }

    @Override
    public String description() {
        return "DPAPI (machine scope) sealed salt keys/" + FILE;
    }
}
