package com.cloudextender.modules.support.lease;

/**
 * Singleton work was requested on an extender that does not hold its customer-wide lease: another extender
 * of the customer holds it and does that work, so this one must not upload the same objects alongside it.
 */
public final class NotLeaseHolderException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param work what was requested, for example {@code the directory sync} */
    public NotLeaseHolderException(String work, String lease) {
        super(work + " runs on the extender of this customer that holds lease " + lease + ", and this extender "
                + "does not hold it now; send the command to the holder (the extenders' health reports list their "
                + "leases), or again once the lease has moved here");
    }
}
