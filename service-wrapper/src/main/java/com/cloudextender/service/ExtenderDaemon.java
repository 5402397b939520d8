package com.cloudextender.service;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.commons.daemon.Daemon;
import org.apache.commons.daemon.DaemonContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.Extender;
import com.cloudextender.core.StartupException;

/**
 * Entry points for Apache Commons Daemon: jsvc on Linux (the {@link Daemon} interface) and procrun on
 * Windows in jvm mode ({@link #start(String[])} and {@link #stop(String[])}). The only argument is the
 * configuration file (default {@code conf/extender.properties}, relative to the working directory).
 *
 * <p>A stop drains: the extender stops taking commands, lets running ones finish, stores their results and
 * delivers them while still connected, then closes the channel and the store. It returns within about
 * {@link #STOP_GRACE} plus a few seconds, which is less than jsvc's 60 s wait for the PID file to go and than
 * the {@code --StopTimeout} that install-service.ps1 gives procrun.
 *
 * <p>Thread safety: {@link #start()} and {@link #stop()} may be called from different threads (jsvc's
 * controller thread, procrun's start and stop threads); a stop that arrives during a start waits for it.
 */
public final class ExtenderDaemon implements Daemon {
    // No static logger: jsvc loads this class and calls init() as root, and the first logger reads
    // logback.xml and opens the log files. Logging starts in start(), after jsvc has switched to the
    // service account, so nothing the service account can edit is read as root.
    /** How long a stop waits for running commands and for their results to be acknowledged. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);
    static final String DEFAULT_CONFIG = "conf/extender.properties";

    private static final Object PROCRUN_LOCK = new Object();
    private static ExtenderDaemon procrun;
    private static boolean procrunStopRequested;

    private final Duration stopGrace;
    private Path config = Path.of(DEFAULT_CONFIG);
    private Extender extender;

    /** The daemon jsvc and procrun create. */
    public ExtenderDaemon() {
        this(STOP_GRACE);
    }

    ExtenderDaemon(Duration stopGrace) {
        this.stopGrace = stopGrace;
    }

    /**
     * jsvc: called (as root, before the user switch) with the arguments after the class name. It only keeps
     * the configuration's path: nothing is read, and logging is not started, until {@link #start()}.
     */
    @Override
    public void init(DaemonContext context) {
        config = configOf(context.getArguments());
    }

    /** Starts the extender; returns once it has begun connecting. */
    @Override
    public synchronized void start() throws StartupException {
        if (extender == null) {
            try {
                extender = Extender.start(config);
            } catch (StartupException e) {
                // jsvc and procrun print only the stack trace to their own files: say it in extender.log too.
                log().error("The extender cannot start: {}", e.getMessage());
                throw e;
            }
        }
    }

    /** Stops the extender, draining running commands first; does nothing when it is not running. */
    @Override
    public synchronized void stop() {
        if (extender != null) {
            try {
                extender.stop(stopGrace);
            } finally {
                extender = null;
            }
        }
    }

    @Override
    public void destroy() {
        stop();
    }

    private static Logger log() {
        return LoggerFactory.getLogger(ExtenderDaemon.class);
    }

    /** The configuration file this daemon uses. */
    Path config() {
        return config;
    }

    /** The running extender, or null; for tests. */
    synchronized Extender extender() {
        return extender;
    }

    static Path configOf(String[] args) {
        return Path.of(args != null && args.length > 0 && !args[0].isBlank() ? args[0] : DEFAULT_CONFIG);
    }

    /**
     * procrun (jvm mode) StartMethod: starts the extender and blocks until {@link #stop(String[])} is called,
     * because procrun considers the service stopped when this method returns.
     *
     * @throws StartupException when the extender cannot start (procrun logs it and the service stops)
     */
    public static void start(String[] args) throws StartupException, InterruptedException {
        ExtenderDaemon d = new ExtenderDaemon();
        d.config = configOf(args);
        synchronized (PROCRUN_LOCK) {
            procrun = d;
            procrunStopRequested = false;
        }
        try {
            d.start();
            synchronized (PROCRUN_LOCK) {
                while (!procrunStopRequested) {
                    PROCRUN_LOCK.wait();
                }
            }
        } finally {
            // Usually a no-op: stop(String[]) has already drained. It matters when a stop came during the start.
            d.stop();
            synchronized (PROCRUN_LOCK) {
                if (procrun == d) {
                    procrun = null;
                }
            }
        }
    }

    /**
     * procrun (jvm mode) StopMethod: drains and stops the extender, then lets {@link #start(String[])} return.
     * The drain happens here so that procrun waits for it (up to its {@code --StopTimeout}).
     */
    public static void stop(String[] args) {
        ExtenderDaemon d;
        synchronized (PROCRUN_LOCK) {
            procrunStopRequested = true;
            d = procrun;
        }
        try {
            if (d != null) {
                d.stop();
            }
        } finally {
            synchronized (PROCRUN_LOCK) {
                PROCRUN_LOCK.notifyAll();
            }
        }
    }
}
