package com.cloudextender.modules.meg.relay;

/** Names of the relay protocol (docs/PROTOCOL.md, "MEG relay"). */
public final class RelayProtocol {
    private RelayProtocol() {
    }

    /** The path of the relay's first stream, answered with the relay credential. */
    public static final String HELLO_PATH = "/meg/v1/hello";
    /** Response header of the hello: the relay credential. */
    public static final String CREDENTIAL = "meg-credential";
    /** Response header of the hello: a name for this connection in the relay's logs. */
    public static final String CONNECTOR = "meg-connector";
    /** Request header: the user the cloud relays for, as the cloud names them (access log only). */
    public static final String USER = "meg-user";
    /**
     * Request header: an opaque name of the user's client connection at the cloud (1 to 64 of
     * {@code [A-Za-z0-9._-]}). Streams with the same name, user and target reuse one target connection
     * (connection-bound NTLM / Negotiate; {@link TargetPool}).
     */
    public static final String CLIENT_CONNECTION = "meg-client-connection";
    /**
     * Request header: upgrade this GET to a byte stream ({@code websocket} only). The extender sends
     * {@code Connection: Upgrade} and {@code Upgrade} to the target; HTTP/2 carries neither.
     */
    public static final String UPGRADE = "meg-upgrade";
    /** Response header: the target switched protocols (its 101); the stream's DATA are now bytes both ways. */
    public static final String UPGRADED = "meg-upgraded";
    /** Response header of an error the extender generated: its type ({@link StreamError}). */
    public static final String ERROR = "meg-error";
    /** Response header of a refusal: the allow list's reason ({@code Refusal#wireName}). */
    public static final String REASON = "meg-reason";
    /** Every header starting with this is the protocol's own and never reaches a target. */
    public static final String PREFIX = "meg-";
}
