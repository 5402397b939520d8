package com.cloudextender.modules.bes.wire;

/** What the server says about the request it answers: its id (for the BAS logs) and the time it took. */
public class ResponseMetadata {
    public String requestUid;
    public String executionTime;
}
