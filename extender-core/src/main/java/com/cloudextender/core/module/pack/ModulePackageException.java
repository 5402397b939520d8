package com.cloudextender.core.module.pack;

/**
 * A module package or descriptor that cannot be used. The message names the package file and, once
 * it is known, the module, then what was wrong, so it can be shown to an administrator as it is.
 */
public class ModulePackageException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModulePackageException(String message) {
        super(message);
    }

    public ModulePackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
