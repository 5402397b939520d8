package com.cloudextender.api;

/**
 * An optional capability of an {@link ExtenderModule}: a check run right after a successful start,
 * before the module version is activated. A failing check rolls the new version back and leaves the
 * previous one serving, so a version that cannot work in this network never replaces one that does.
 */
public interface SelfChecking {
    /**
     * Checks that the started module can do its job here (for example: the directory answers a search).
     *
     * @throws Exception when it cannot; the message is reported to the cloud
     */
    void selfCheck() throws Exception;
}
