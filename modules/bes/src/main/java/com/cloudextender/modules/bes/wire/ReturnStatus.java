package com.cloudextender.modules.bes.wire;

/** A BWS return status: a code ({@code SUCCESS} or the reason of a failure) and a message. */
public class ReturnStatus {
    public String code;
    public String message;

    /** Whether the code is {@code SUCCESS}. */
    public boolean success() {
        return "SUCCESS".equals(code);
    }
}
