package com.cloudextender.devcloud.cli;

/** A client command failure whose message is shown to the user as is. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
