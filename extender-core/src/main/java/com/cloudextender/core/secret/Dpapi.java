package com.cloudextender.core.secret;

import java.io.IOException;

/** Windows' Data Protection API in machine scope: seals bytes so that only this machine can open them. */
public interface Dpapi {
    /** Seals {@code clear}; the result opens only on this machine. */
    byte[] protect(byte[] clear) throws IOException;

    /** Opens what {@link #protect} sealed on this machine. */
    byte[] unprotect(byte[] sealed) throws IOException;
}
