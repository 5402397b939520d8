package com.cloudextender.devcloud.meg;

/** The relay protocol's names (docs/PROTOCOL.md, "MEG relay"), as the cloud side uses them. */
final class MegNames {
    private MegNames() {
    }

    static final String HELLO_PATH = "/meg/v1/hello";
    static final String CREDENTIAL = "meg-credential";
    static final String CONNECTOR = "meg-connector";
    static final String USER = "meg-user";
    static final String CLIENT_CONNECTION = "meg-client-connection";
    static final String UPGRADE = "meg-upgrade";
    static final String UPGRADED = "meg-upgraded";
    static final String ERROR = "meg-error";
    static final String REASON = "meg-reason";
}
