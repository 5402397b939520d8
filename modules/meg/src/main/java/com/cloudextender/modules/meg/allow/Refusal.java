package com.cloudextender.modules.meg.allow;

/**
 * Why the allow list refused a target. The wire name travels in the {@code meg-reason} header of a
 * refusal (docs/PROTOCOL.md) and in the access log.
 */
public enum Refusal {
    /** Neither a host entry nor a CIDR entry names the target. */
    NOT_LISTED("not-listed"),
    /** The scheme is not one of {@code allow.schemes}. */
    SCHEME("scheme"),
    /** The port is not one of {@code allow.ports} (or {@code allow.connectPorts} for a byte stream). */
    PORT("port"),
    /** The host is not a valid name or address (bad characters, a numeric form that does not parse). */
    MALFORMED_HOST("malformed-host"),
    /** The request's Host header or absolute-form target names another target than its authority. */
    HOST_MISMATCH("host-mismatch"),
    /** A resolved address is a loopback address. */
    LOOPBACK("loopback"),
    /** A resolved address is link-local. */
    LINK_LOCAL("link-local"),
    /** A resolved address is a cloud metadata service address. */
    METADATA("metadata"),
    /** A resolved address is the unspecified address or "this network". */
    UNSPECIFIED("unspecified"),
    /** A resolved address is multicast or broadcast. */
    MULTICAST("multicast"),
    /** A resolved address is one of the extender's own addresses. */
    OWN_ADDRESS("own-address");

    private final String wireName;

    Refusal(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the wire and in the access log. */
    public String wireName() {
        return wireName;
    }
}
