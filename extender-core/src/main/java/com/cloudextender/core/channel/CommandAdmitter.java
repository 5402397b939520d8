package com.cloudextender.core.channel;

import com.cloudextender.core.command.Admission;

/** What the channel hands an incoming command to; the dispatcher implements it. */
@FunctionalInterface
public interface CommandAdmitter {
    Admission admit(String id, String module, String action, Long timeoutMillis, String arguments, String replyTo);
}
