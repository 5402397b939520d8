package com.cloudextender.modules.bes.wire;

/** What every BWS response carries: the server's metadata (request id, time taken) and a return status. */
public abstract class Response {
    public ResponseMetadata metadata;
    public ReturnStatus returnStatus;
}
