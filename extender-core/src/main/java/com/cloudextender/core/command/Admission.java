package com.cloudextender.core.command;

import com.cloudextender.api.ErrorCode;

/** The dispatcher's immediate answer to a command: accepted in some state, or refused with a reason. */
public sealed interface Admission {
    /** Accepted; {@code state} is {@code queued}, {@code running} or {@code done}. */
    record Accepted(String state) implements Admission {
    }

    /** Not accepted and not stored; the command will get no result. */
    record Refused(ErrorCode code, String reason) implements Admission {
    }
}
