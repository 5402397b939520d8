package com.cloudextender.service;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.commons.daemon.Daemon;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonInitException;

import com.cloudextender.core.Extender;
import com.cloudextender.core.StartupException;

/**
 * Entry points for Apache Commons Daemon: jsvc on Linux (the {@link Daemon} interface) and procrun on
 * Windows in jvm mode ({@link #start(String[])} and {@link #stop(String[])}). The only argument is the
 * configuration file (default {@code conf/extender.properties}).
 */
public final class ExtenderDaemon implements Daemon {
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Object LOCK = new Object();
    private static ExtenderDaemon procrun;

    private Path config;
    private volatile Extender extender;

    @Override
    public void init(DaemonContext context) throws DaemonInitException {
        String[] args = context.getArguments();
        config = Path.of(args.length > 0 ? args[0] : "conf/extender.properties");
    }

    @Override
    public void start() throws StartupException {
        extender = Extender.start(config);
    }

    @Override
    public void stop() {
        Extender x = extender;
        if (x != null) {
            x.stop(STOP_GRACE);
            extender = null;
        }
    }

    @Override
    public void destroy() {
        stop();
    }

    /** procrun (jvm mode) StartMethod: starts and blocks until {@link #stop(String[])} is called. */
    public static void start(String[] args) throws StartupException, InterruptedException {
        ExtenderDaemon d = new ExtenderDaemon();
        d.config = Path.of(args.length > 0 ? args[0] : "conf/extender.properties");
        d.start();
        synchronized (LOCK) {
            procrun = d;
            while (procrun == d) {
                LOCK.wait();
            }
        }
    }

    /** procrun (jvm mode) StopMethod. */
    public static void stop(String[] args) {
        synchronized (LOCK) {
            if (procrun != null) {
                procrun.stop();
                procrun = null;
            }
            LOCK.notifyAll();
        }
    }
}
