package com.cloudextender.api;

import java.nio.file.Path;

/**
 * What the host offers one loaded module version. Implemented by the host, never by modules; valid
 * from {@link ExtenderModule#start(ModuleContext)} until {@link ExtenderModule#stop()} returns.
 * Thread-safe.
 *
 * <p>Logging goes through the SLF4J API, which the host shares with every module; log what happened,
 * to what, and what to do, and never a secret.
 */
public interface ModuleContext {
    /** The module's id, as in its descriptor (for example {@code directory}). */
    String moduleId();

    /** This module version, as in its descriptor. */
    String version();

    /**
     * The module's configuration as the cloud sent it, with the administrator's local overrides
     * applied and secrets already decrypted. Checked against the descriptor's declared keys.
     */
    ModuleConfig config();

    /** Bulk uploads to the cloud through its upload slots. */
    BulkUploads uploads();

    /** Periodic and delayed work, cancelled by the host when this version stops. */
    ModuleScheduler scheduler();

    /** This module's own durable key-value state in the extender's local database. */
    ModuleState state();

    /** Counters and timings that the host reports to the cloud and on its status page. */
    ModuleMetrics metrics();

    /** The proxy decision shared by every outbound connection of the extender. */
    OutboundProxies proxies();

    /**
     * A folder of this module's own for temporary files (for example an upload being prepared); it
     * survives upgrades of the module and is removed when the module is removed.
     */
    Path workDir();
}
