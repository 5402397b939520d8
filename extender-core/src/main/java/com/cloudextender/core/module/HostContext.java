package com.cloudextender.core.module;

import java.nio.file.Path;

import com.cloudextender.api.BulkUploads;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.ModuleMetrics;
import com.cloudextender.api.ModuleScheduler;
import com.cloudextender.api.ModuleState;
import com.cloudextender.api.OutboundProxies;

/** What the host offers one loaded module version (see {@link ModuleContext}). */
record HostContext(String moduleId, String version, ModuleConfig config, BulkUploads uploads,
        ModuleTasks tasks, ModuleState state, ModuleMeters meters, OutboundProxies proxies, Path workDir)
        implements ModuleContext {

    @Override
    public ModuleScheduler scheduler() {
        return tasks;
    }

    @Override
    public ModuleMetrics metrics() {
        return meters;
    }
}
