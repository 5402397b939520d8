package com.cloudextender.modules.scep.enrol;

/** The CA answered with a certificate that is not the one requested, or not from the authenticated CA. */
public final class IssuedCertificateRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** What did not match. */
    public enum Reason {
        /** Another public key than the request's. */
        KEY,
        /** Another subject DN than the request's. */
        SUBJECT,
        /** Alternative names added or left out. */
        NAMES,
        /** Not signed by the authenticated CA certificate. */
        SIGNER
    }

    private final Reason reason;

    public IssuedCertificateRejected(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** What did not match. */
    public Reason reason() {
        return reason;
    }
}
