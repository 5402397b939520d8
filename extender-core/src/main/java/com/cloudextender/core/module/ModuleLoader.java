package com.cloudextender.core.module;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.SelfChecking;
import com.cloudextender.core.module.pack.ModuleDescriptor;
import com.cloudextender.core.module.pack.ModuleVersion;
import com.cloudextender.core.module.pack.VerifiedPackage;

/**
 * Turns a verified, extracted package into a started module version: class loader, entry object,
 * {@code start}, action check and self-check, each contained by {@link Guarded}. On any failure it
 * undoes what it did (stop, cancel tasks, close the loader) and throws, so that nothing of a refused
 * version stays behind.
 */
final class ModuleLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleLoader.class);

    /** What each started version gets from the host, apart from its configuration. */
    interface ContextFactory {
        HostContext create(ModuleDescriptor descriptor, ModuleConfig config, ModuleClassLoader loader);
    }

    private final ModuleVersion coreVersion;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final ContextFactory contexts;

    ModuleLoader(ModuleVersion coreVersion, Duration startTimeout, Duration stopTimeout, ContextFactory contexts) {
        this.coreVersion = coreVersion;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.contexts = contexts;
    }

    LoadedModule load(VerifiedPackage pkg, ModuleConfig config) throws ModuleFailure {
        ModuleDescriptor d = pkg.descriptor();
        String label = d.id() + " " + d.version();
        if (coreVersion.compareTo(d.coreMinVersion()) < 0) {
            throw new ModuleFailure("module " + label + " needs extender core " + d.coreMinVersion()
                    + " or newer; this extender is " + coreVersion + ": upgrade the extender first");
        }
        ModuleClassLoader loader = new ModuleClassLoader(d.id() + "-" + d.version(), pkg.jars(),
                ModuleLoader.class.getClassLoader());
        HostContext context = null;
        ExtenderModule instance = null;
        boolean started = false;
        try {
            instance = Guarded.call("construct " + label, loader, startTimeout, () -> instantiate(d, loader));
            context = contexts.create(d, config, loader);
            ExtenderModule module = instance;
            HostContext ctx = context;
            started = true;
            Guarded.run("start of " + label, loader, startTimeout, () -> module.start(ctx));
            Map<String, ActionHandler> actions = Guarded.call("actions of " + label, loader, startTimeout,
                    module::actions);
            checkActions(d, actions);
            if (module instanceof SelfChecking check) {
                Guarded.run("self-check of " + label, loader, startTimeout, check::selfCheck);
            }
            return new LoadedModule(d, pkg.directory(), loader, module, context, actions);
        } catch (ModuleFailure e) {
            undo(label, instance, context, loader, started);
            throw e;
        } catch (RuntimeException e) {
            undo(label, instance, context, loader, started);
            throw new ModuleFailure("module " + label + " could not be loaded: " + Guarded.describe(e), e);
        }
    }

    private static ExtenderModule instantiate(ModuleDescriptor d, ClassLoader loader) throws ModuleFailure {
        Class<?> main;
        try {
            main = Class.forName(d.mainClass(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ModuleFailure("main.class " + d.mainClass() + " of module " + d.id() + " " + d.version()
                    + " is not in its jars: " + e);
        }
        if (!ExtenderModule.class.isAssignableFrom(main)) {
            throw new ModuleFailure("main.class " + d.mainClass() + " of module " + d.id() + " does not implement "
                    + ExtenderModule.class.getName());
        }
        try {
            return (ExtenderModule) main.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new ModuleFailure("main.class " + d.mainClass() + " has no public no-argument constructor");
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ModuleFailure("constructor of " + d.mainClass() + " failed: " + Guarded.describe(cause), cause);
        }
    }

    private static void checkActions(ModuleDescriptor d, Map<String, ActionHandler> actions) throws ModuleFailure {
        if (actions == null) {
            throw new ModuleFailure("module " + d.id() + " " + d.version() + " returned no actions");
        }
        Set<String> declared = new TreeSet<>(d.actions());
        Set<String> offered = new TreeSet<>(actions.keySet());
        if (!declared.equals(offered) || actions.values().stream().anyMatch(h -> h == null)) {
            throw new ModuleFailure("module " + d.id() + " " + d.version() + " offers actions " + offered
                    + " but its descriptor declares " + declared + "; they must be the same");
        }
    }

    /** Stops (bounded), cancels tasks and closes the loader of a version that is going away. */
    void unload(LoadedModule m) {
        undo(m.label(), m.instance(), m.context(), m.loader(), true);
    }

    private void undo(String label, ExtenderModule instance, HostContext context, ModuleClassLoader loader,
            boolean started) {
        if (context != null) {
            context.tasks().cancelAll();
        }
        if (started && instance != null) {
            try {
                Guarded.run("stop of " + label, loader, stopTimeout, instance::stop);
            } catch (ModuleFailure e) {
                LOG.warn("Module {}: {}; its resources are released anyway", label, e.getMessage());
            }
        }
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("closing the class loader of {}: {}", label, e.toString());
        }
    }

    static Path runFolder(Path base, ModuleDescriptor d, long seq) {
        return base.resolve(d.id() + "-" + d.version() + "-" + seq);
    }
}
