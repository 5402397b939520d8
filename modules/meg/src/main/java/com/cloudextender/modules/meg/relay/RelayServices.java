package com.cloudextender.modules.meg.relay;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import com.cloudextender.modules.meg.MegMetrics;
import com.cloudextender.modules.meg.allow.TargetCheck;
import com.cloudextender.modules.meg.log.AccessLog;

import io.netty.handler.ssl.SslContext;

/**
 * What every relayed stream shares: the target check, the executor names are resolved on (never an
 * event loop), TLS to targets, limits and time limits, metrics, the access log, and the set of
 * running streams (for allow-list changes and the total limit).
 */
public final class RelayServices {
    final TargetCheck check;
    final Executor resolver;
    final SslContext targetTls;
    final MegMetrics metrics;
    final AccessLog accessLog;
    final String credential;
    final String connectorName;
    final Duration connectTimeout;
    final Duration idleTimeout;
    final Duration maxDuration;
    final int maxStreams;
    final TargetPool pool;
    final AtomicInteger running = new AtomicInteger();
    final Set<StreamRelay> streams = ConcurrentHashMap.newKeySet();

    public RelayServices(TargetCheck check, Executor resolver, SslContext targetTls, MegMetrics metrics,
            AccessLog accessLog, String credential, String connectorName, Duration connectTimeout, Duration idleTimeout,
            Duration maxDuration, int maxStreams, TargetPool pool) {
        this.check = check;
        this.resolver = resolver;
        this.targetTls = targetTls;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.credential = credential;
        this.connectorName = connectorName;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.maxDuration = maxDuration;
        this.maxStreams = maxStreams;
        this.pool = pool;
    }

    public TargetCheck check() {
        return check;
    }

    /** The streams relaying now. */
    public Set<StreamRelay> streams() {
        return streams;
    }
}
