package com.cloudextender.core.module;

/**
 * A module operation did not succeed (package refused, start failed, self-check failed, stop hung…).
 * The message is written for the administrator and the cloud console: what failed, for which module
 * and version, and what keeps serving.
 */
public class ModuleFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public ModuleFailure(String message) {
        super(message);
    }

    public ModuleFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
