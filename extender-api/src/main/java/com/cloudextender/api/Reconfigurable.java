package com.cloudextender.api;

/**
 * An optional capability of an {@link ExtenderModule}: taking a new configuration while it runs,
 * instead of being restarted with it. Without it (or when it returns false) the host applies a
 * {@code modules/configure} as a swap: a new instance starts with the new configuration and the old
 * one stops, which ends whatever the old one held open (connections, streams). A module whose
 * configuration changes often while work is in flight (an allow list, say) implements this.
 *
 * <p>Called on a host lifecycle thread, under the start time limit, never concurrently with
 * {@code start}, {@code stop} or another {@code reconfigure}. {@link ModuleContext#config()} keeps
 * returning the configuration the module was started with; the module keeps the new one itself. The
 * host stores the new configuration only when this returns true.
 */
public interface Reconfigurable {
    /**
     * Applies {@code config} (checked against the descriptor, overrides applied, secrets decrypted).
     *
     * @return true if applied in place; false to have the host restart the module with it instead
     * @throws Exception to refuse it: the module keeps running with its previous configuration and
     *                   the message is reported to the cloud
     */
    boolean reconfigure(ModuleConfig config) throws Exception;
}
