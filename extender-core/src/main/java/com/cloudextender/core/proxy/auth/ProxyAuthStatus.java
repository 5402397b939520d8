package com.cloudextender.core.proxy.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cloudextender.core.proxy.ProxyAuth;

/**
 * The latest proxy authentication outcome of this extender, for {@code core/status} and the status page:
 * the proxy, the schemes it offered, the scheme in use and the last failure. Thread-safe.
 */
public final class ProxyAuthStatus {
    private final Clock clock;
    private String proxy;
    private String offered;
    private String scheme = "none";
    private Instant succeededAt;
    private String lastFailure;
    private Instant failedAt;

    public ProxyAuthStatus(Clock clock) {
        this.clock = clock;
    }

    synchronized void succeeded(String proxy, List<Challenge> offered, String scheme) {
        this.proxy = proxy;
        this.offered = Challenge.names(offered);
        this.scheme = scheme;
        this.succeededAt = clock.instant();
    }

    synchronized void failed(String proxy, List<Challenge> offered, String message) {
        this.proxy = proxy;
        this.offered = Challenge.names(offered);
        this.lastFailure = message;
        this.failedAt = clock.instant();
    }

    /** The scheme of the latest successful login: a {@link ProxyAuth} header name, or {@code none}. */
    public synchronized String scheme() {
        return scheme;
    }

    /** The report: {@code proxy}, {@code offered}, {@code scheme}, {@code since}, {@code lastFailure}, {@code lastFailureAt}. */
    public synchronized Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proxy", proxy);
        m.put("offered", offered);
        m.put("scheme", scheme);
        m.put("since", succeededAt == null ? null : succeededAt.toString());
        m.put("lastFailure", lastFailure);
        m.put("lastFailureAt", failedAt == null ? null : failedAt.toString());
        return m;
    }
}
