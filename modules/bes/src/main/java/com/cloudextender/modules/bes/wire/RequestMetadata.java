package com.cloudextender.modules.bes.wire;

/** What every BWS request carries: the client's BWS version, the locale of messages, the organisation. */
public class RequestMetadata {
    public String clientVersion;
    public String locale;
    public String organizationUid;

    public RequestMetadata() {
    }

    public RequestMetadata(String clientVersion, String locale, String organizationUid) {
        this.clientVersion = clientVersion;
        this.locale = locale;
        this.organizationUid = organizationUid;
    }
}
