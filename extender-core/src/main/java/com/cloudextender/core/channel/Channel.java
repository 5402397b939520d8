package com.cloudextender.core.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.core.config.ExtenderConfig;
import com.cloudextender.core.config.TlsMode;
import com.cloudextender.core.outbox.OutboxEntry;
import com.cloudextender.core.outbox.ResultTransport;
import com.cloudextender.core.protocol.HealthIq;
import com.cloudextender.core.protocol.ResultIq;
import com.cloudextender.core.protocol.WireText;
import com.cloudextender.core.proxy.ProxyDecision;
import com.cloudextender.core.tls.TrustMaterial;

/**
 * The one connection to the cloud. A dedicated thread connects, logs in, waits while connected, and on
 * any failure waits a jittered, growing delay before the next attempt. It never gives up silently: each
 * failed attempt is logged with its cause and the next attempt's time, and the state is always
 * available through {@link #status()}. The one exception is a refused credential, which no retry can
 * fix: the channel then stops and says what the administrator must do.
 */
public final class Channel implements ResultTransport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);

    private final ExtenderConfig config;
    private final TrustMaterial tls;
    private final ProxyDecision proxies;
    private final CloudAddresses cloud;
    private final ChannelListener listener;
    private final Clock clock;
    private final Backoff backoff;
    /**
     * How long a sent result may wait for its acknowledgement before it counts as lost and the outbox may
     * send it again: the retry interval, within 1 to 30 s.
     */
    private final long replyTimeoutMillis;
    /**
     * How long a sent result waits for its acknowledgement. Long on purpose: while the cloud acknowledges other
     * results, a result is not sent twice on one stream (see the outbox), and a busy cloud may acknowledge late.
     * An acknowledgement after this wait is not seen; the result is then sent again on the next stream, or when
     * the cloud delivers its command again.
     */
    private static final long RESULT_ACK_WAIT_MILLIS = TimeUnit.MINUTES.toMillis(2);
    /** Counts fresh streams (not resumed ones): see {@link ResultTransport#stream()}. */
    private final java.util.concurrent.atomic.AtomicLong streams = new java.util.concurrent.atomic.AtomicLong();
    /** How long each step of the stream set-up may wait for the cloud (channel.handshakeTimeout). */
    private final long handshakeTimeoutMillis;
    /** Whether the next connection may resume the dropped stream, or must start afresh. */
    private final ResumptionGuard resumption = new ResumptionGuard(TimeUnit.MINUTES.toNanos(1));
    /**
     * Smack does not wake a set-up step (SASL in particular) when the connection fails meanwhile; it waits for its
     * reply time. It cannot tell its connection listeners either, because the step holds the connection's lock
     * that Smack's failure handling needs first. A watch therefore looks at the connection during the set-up and
     * interrupts the channel thread when it failed. Guarded by {@code handshakeLock}, so that no interrupt
     * outlives the set-up.
     */
    private final Object handshakeLock = new Object();
    private boolean handshaking;
    private boolean handshakeCut;
    private static final java.util.concurrent.ScheduledExecutorService SET_UP_WATCH =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "channel-setup-watch");
                t.setDaemon(true);
                return t;
            });
    /**
     * Result recipients that answered with an error, and until when (nanoTime) to send their results to the
     * primary address instead. Only for one retry period: a cloud that comes back under the same address
     * gets its results again.
     */
    private final java.util.Map<String, Long> unreachable = new ConcurrentHashMap<>();

    /**
     * The full address of the cloud entity that last sent an authorised command. On a standard XMPP
     * server an IQ to a user's bare address is answered by the server itself (RFC 6121 §8.5.1), so
     * reports go to this full address when one is known.
     */
    private volatile Jid lastCommander;
    private volatile CommandAdmitter admitter;
    private volatile ChannelCredentials credentials;
    private volatile XMPPTCPConnection connection;
    private volatile ChannelStatus status;
    private volatile boolean running;
    private volatile CountDownLatch disconnected = new CountDownLatch(1);
    private volatile String lastDisconnectCause;
    /** True when the session that ended was ended by the cloud because another connection logged in as this extender. */
    private volatile boolean endedByConflict;
    /** Refused commands and unparseable stanzas: a flood of either must not become a flood of log lines. */
    private final RefusalLog refusals = new RefusalLog(LOG, "refusals", 10, System::nanoTime);
    private final RefusalLog unparseable = new RefusalLog(LOG, "unparseable stanzas", 10, System::nanoTime);
    private final RefusalLog unhandled = new RefusalLog(LOG, "unserved stanzas", 10, System::nanoTime);
    private Thread loop;
    /** Sessions in a row that ended in a conflict (another login as this extender); the channel thread's own. */
    private int conflicts;

    public Channel(ExtenderConfig config, ChannelCredentials credentials, CloudAddresses cloud, TrustMaterial tls,
            ProxyDecision proxies, ChannelListener listener, Clock clock) {
        this.config = config;
        this.credentials = credentials;
        this.cloud = cloud;
        this.tls = tls;
        this.proxies = proxies;
        this.listener = listener;
        this.clock = clock;
        this.backoff = new Backoff(config.reconnect().initialDelay(), config.reconnect().maxDelay(),
                ThreadLocalRandom.current());
        this.replyTimeoutMillis = Math.max(1000, Math.min(30_000, config.outboxRetryInterval().toMillis()));
        this.handshakeTimeoutMillis = config.handshakeTimeout().toMillis();
        this.status = new ChannelStatus(ChannelState.STARTING, clock.instant(), null, 0, null, false);
    }

    /** Sets where commands go; must be called before {@link #start()}. */
    public void setCommandAdmitter(CommandAdmitter admitter) {
        this.admitter = admitter;
    }

    /** Starts connecting in the background. */
    public synchronized void start() {
        if (admitter == null) {
            throw new IllegalStateException("no command admitter set");
        }
        running = true;
        loop = new Thread(this::run, "channel");
        loop.setDaemon(true);
        loop.start();
    }

    public ChannelStatus status() {
        return status;
    }

    public CloudAddresses cloudAddresses() {
        return cloud;
    }

    @Override
    public boolean isConnected() {
        XMPPTCPConnection c = connection;
        return c != null && c.isAuthenticated() && status.state() == ChannelState.CONNECTED;
    }

    private void run() {
        int attempts = 0;
        conflicts = 0;
        while (running) {
            setStatus(ChannelState.CONNECTING, status.lastError(), attempts, null, false);
            boolean resuming = false;
            try {
                XMPPTCPConnection c = connection;
                // Reuse the connection object only to resume its stream (XEP-0198); otherwise start clean, so no
                // state of the dropped stream (queued stanzas, handlers) leaks into the new one.
                if (c != null && c.isSmResumptionPossible() && !resumption.mayResume()) {
                    LOG.warn("The resumed stream to the cloud failed again the same way ({}); starting a fresh stream "
                            + "instead of resuming it", lastDisconnectCause);
                    c.instantShutdown();
                    c = null;
                } else if (c != null && !c.isSmResumptionPossible()) {
                    c = null;
                }
                if (c == null) {
                    c = build(credentials);
                    connection = c;
                }
                resuming = c.isSmResumptionPossible();
                disconnected = new CountDownLatch(1);
                endedByConflict = false;
                setUp(c);
                if (!running) {
                    // close() ran while this attempt was connecting: it could not see this connection.
                    c.disconnect();
                    break;
                }
                boolean resumed = c.streamWasResumed();
                long upSince = System.nanoTime();
                if (!resumed) {
                    resumption.freshStreamStarted();
                    streams.incrementAndGet();
                }
                attempts = 0;
                if (conflicts == 0) {
                    // A copy ended again and again by another login keeps its growing delay (below).
                    backoff.reset();
                }
                unreachable.clear();
                setStatus(ChannelState.CONNECTED, null, 0, null, resumed);
                LOG.info("Connected to the cloud at {}:{} as {} ({}{})", config.cloud().host(), config.cloud().port(),
                        WireText.of(credentials), config.cloud().tls() == TlsMode.DIRECT ? "direct TLS" : "STARTTLS",
                        resumed ? ", session resumed" : "");
                listener.connected(resumed);
                while (!disconnected.await(1, TimeUnit.MINUTES)) {
                    refusals.flush();
                    unparseable.flush();
                    unhandled.flush();
                }
                refusals.flush();
                unparseable.flush();
                unhandled.flush();
                if (!running) {
                    break;
                }
                long lasted = System.nanoTime() - upSince;
                resumption.ended(lastDisconnectCause, resumed, lasted);
                attempts++;
                if (lasted > 2 * config.reconnect().maxDelay().toNanos()) {
                    conflicts = 0; // a session that long was no ping-pong between two copies
                    backoff.reset();
                }
                if (endedByConflict) {
                    conflicts++;
                } else {
                    conflicts = 0;
                    backoff.reset();
                }
                if (conflicts >= 2) {
                    // Two copies with one identity end each other's sessions in turn. Reconnecting at once would
                    // make that a loop of logins in which neither copy keeps a session: each conflict in a row
                    // doubles this copy's delay instead, up to reconnect.maxDelay.
                    Duration delay = backoff.next();
                    LOG.error("The cloud ended this extender's session because another connection logged in as "
                            + "{}, {} times in a row: a second copy of this installation is running (its data folder "
                            + "copied, or the service started twice). Stop the other copy. Until then the two take the "
                            + "connection from each other; this copy waits longer each time (next attempt in {} s).",
                            WireText.of(credentials), conflicts, Math.max(1, delay.toSeconds()));
                    waitBeforeRetry(attempts, "connection lost: " + lastDisconnectCause, delay, false);
                } else {
                    LOG.warn("Lost the connection to the cloud: {}. Reconnecting.", lastDisconnectCause);
                    waitBeforeRetry(attempts, "connection lost: " + lastDisconnectCause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SASLErrorException e) {
                if (!running) {
                    break;
                }
                if (credentialRefused(e)) {
                    continue;
                }
                break;
            } catch (SmackException | IOException | XMPPException | RuntimeException e) {
                if (!running) {
                    break;
                }
                attempts++;
                String cause = describe(e);
                resumption.ended(cause, resuming, 0);
                shutdownQuietly();
                try {
                    waitBeforeRetry(attempts, cause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        setStatus(running ? status.state() : ChannelState.STOPPED, status.lastError(), status.attempts(), null, false);
    }

    /**
     * Connects and logs in (or resumes), each step waiting at most {@code channel.handshakeTimeout} for the
     * cloud; afterwards requests wait for their ordinary reply time. A connection that closes during the set-up
     * ends it at once.
     */
    private void setUp(XMPPTCPConnection c) throws SmackException, IOException, XMPPException, InterruptedException {
        c.setReplyTimeout(handshakeTimeoutMillis);
        synchronized (handshakeLock) {
            handshaking = true;
            handshakeCut = false;
        }
        java.util.concurrent.ScheduledFuture<?> watch = SET_UP_WATCH.scheduleWithFixedDelay(() -> {
            if (c instanceof ExtenderConnection x && x.streamFailure() != null) {
                closedDuringSetUp();
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
        try {
            c.connect();
            c.login();
        } catch (InterruptedException e) {
            if (endHandshake()) {
                Exception failure = c instanceof ExtenderConnection x ? x.streamFailure() : null;
                throw new IOException("the connection failed during the set-up: "
                        + (failure != null ? describeRaw(failure) : lastDisconnectCause));
            }
            throw e;
        } finally {
            watch.cancel(false);
            endHandshake();
        }
        c.setReplyTimeout(replyTimeoutMillis);
    }

    /** Ends the set-up phase; returns whether the connection closed during it (its interrupt is then cleared). */
    private boolean endHandshake() {
        synchronized (handshakeLock) {
            handshaking = false;
            boolean cut = handshakeCut;
            handshakeCut = false;
            if (cut) {
                Thread.interrupted();
            }
            return cut;
        }
    }

    /** The connection closed: if the channel thread is setting it up, it stops waiting for the cloud now. */
    private void closedDuringSetUp() {
        synchronized (handshakeLock) {
            Thread t = loop;
            if (handshaking && !handshakeCut && t != null) {
                handshakeCut = true;
                t.interrupt();
            }
        }
    }

    /** Returns true to try again with new credentials, false to stop in the rejected state. */
    private boolean credentialRefused(SASLErrorException e) {
        shutdownQuietly();
        ChannelCredentials rejected = credentials;
        String why = "the cloud refused the credential of " + WireText.of(rejected) + " ("
                + WireText.of(e.getSASLFailure().getSASLErrorString()) + ")";
        if (e.getSASLFailure().getSASLError() == org.jivesoftware.smack.sasl.SASLError.not_authorized
                || e.getSASLFailure().getSASLError() == org.jivesoftware.smack.sasl.SASLError.account_disabled
                || e.getSASLFailure().getSASLError() == org.jivesoftware.smack.sasl.SASLError.credentials_expired) {
            ChannelCredentials renewed = listener.credentialRejected(rejected);
            if (renewed != null) {
                LOG.warn("{}; re-registered, now connecting as {}", why, WireText.of(renewed));
                credentials = renewed;
                connection = null;
                return true;
            }
        }
        setStatus(ChannelState.CREDENTIAL_REJECTED, why, status.attempts(), null, false);
        LOG.error("{}. The extender stops connecting, because retrying cannot fix this. This happens when the "
                + "extender was deleted in the cloud console or this machine was restored from a snapshot. To "
                + "register again, put a fresh activation code in activation.code in the configuration and restart "
                + "the service.", why);
        return false;
    }

    private void waitBeforeRetry(int attempts, String cause) throws InterruptedException {
        waitBeforeRetry(attempts, cause, backoff.next(), true);
    }

    private void waitBeforeRetry(int attempts, String cause, Duration delay, boolean log) throws InterruptedException {
        Instant next = clock.instant().plus(delay);
        setStatus(ChannelState.WAITING_TO_RECONNECT, cause, attempts, next, false);
        if (log) {
            LOG.warn("Cannot reach the cloud at {}:{} (attempt {}): {}. Next attempt in {} s. Check the network, "
                    + "the proxy settings and cloud.host/cloud.port if this persists.", config.cloud().host(),
                    config.cloud().port(), attempts, cause, Math.max(1, delay.toSeconds()));
        }
        synchronized (this) {
            long end = System.nanoTime() + delay.toNanos();
            long left;
            while (running && (left = end - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** The cause for the log and the status page; its messages may carry the server's text, so it is escaped. */
    private static String describe(Throwable e) {
        return WireText.of(describeRaw(e), 512);
    }

    /** True when {@code t} is the stream error the cloud ends a session with when another login replaces it. */
    private static boolean isConflict(Throwable t) {
        return t instanceof XMPPException.StreamErrorException se && se.getStreamError() != null
                && se.getStreamError().getCondition() == StreamError.Condition.conflict;
    }

    private static boolean endedByConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isConflict(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describeRaw(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                // The parser's own wording ("expected end tag </stream:stream>") means nothing to an administrator.
                return "the server closed the connection without ending the stream";
            }
            if (isConflict(t)) {
                // Once is a reconnect that overtook the old session; again and again means two copies fighting.
                return "the cloud ended this session because another connection logged in as this extender "
                        + "(stream error 'conflict'). Once, it is a reconnect that found the old session still "
                        + "open; if it repeats, a second copy of this installation (same data folder copied, or "
                        + "started twice) is running: stop the other copy";
            }
        }
        StringBuilder b = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
            String m = t.getMessage();
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(t.getClass().getSimpleName()).append(m == null ? "" : ": " + m);
        }
        return b.toString();
    }

    private XMPPTCPConnection build(ChannelCredentials creds) throws IOException {
        ExtenderConfig.Cloud c = config.cloud();
        XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(creds.domain())
                // A placeholder address stops Smack from resolving the host itself: ChannelSocket connects to
                // the configured host, directly or through the proxy (which may be the only one able to resolve it).
                .setHostAddress(InetAddress.getByAddress(c.host(), new byte[4]))
                .setPort(c.port())
                .setUsernameAndPassword(creds.username(), creds.password())
                .setResource(creds.resource())
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setSendPresence(true)
                .setSocketFactory(new ChannelSocketFactory(c.host(), c.port(), c.host(), c.tls(), tls.sslContext(), proxies));
        if (c.tls() == TlsMode.DIRECT) {
            // TLS is already up and verified by ChannelSocket; Smack must not try STARTTLS on top.
            b.setSecurityMode(SecurityMode.disabled);
        } else {
            b.setSecurityMode(SecurityMode.required).setCustomX509TrustManager(tls.trustManager())
                    .setHostnameVerifier(new DefaultHostnameVerifier());
        }
        XMPPTCPConnection conn = new ExtenderConnection(b.build(), what -> unhandled.refused("the server",
                () -> LOG.warn("Answered or dropped a stanza that cannot be served: {}", WireText.of(what, 512))));
        conn.setReplyTimeout(handshakeTimeoutMillis);
        conn.setUseStreamManagement(true);
        conn.setUseStreamManagementResumption(true);
        conn.setParsingExceptionCallback(exception -> unparseable.refused("the server", () -> LOG.warn(
                "Ignored a stanza from the cloud that could not be parsed: {}",
                WireText.of(exception.getParsingException(), 512))));
        conn.registerIQRequestHandler(new CommandIqHandler(conn, cloud,
                (id, m, a, t, args, reply) -> admitter.admit(id, m, a, t, args, reply),
                from -> {
                    lastCommander = from;
                    unreachable.remove(from.toString()); // it is back: results may go to it again
                }, refusals));
        conn.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosed() {
                lastDisconnectCause = "closed by the server";
                endedByConflict = false;
                closedDuringSetUp();
                disconnected.countDown();
            }

            @Override
            public void connectionClosedOnError(Exception e) {
                lastDisconnectCause = describe(e);
                endedByConflict = endedByConflict(e);
                closedDuringSetUp();
                disconnected.countDown();
            }
        });
        PingManager ping = PingManager.getInstanceFor(conn);
        ping.setPingInterval((int) Math.max(1, config.pingInterval().toSeconds()));
        ping.registerPingFailedListener(() -> {
            LOG.warn("The cloud did not answer a keep-alive ping; dropping the connection to reconnect");
            lastDisconnectCause = "keep-alive ping unanswered";
            endedByConflict = false;
            XMPPTCPConnection cc = connection;
            if (cc != null) {
                cc.instantShutdown();
            }
            disconnected.countDown();
        });
        return conn;
    }

    private void setStatus(ChannelState state, String error, int attempts, Instant next, boolean resumed) {
        ChannelStatus s = new ChannelStatus(state, state == status.state() ? status.since() : clock.instant(), error,
                attempts, next, resumed);
        status = s;
        listener.stateChanged(s);
    }

    @Override
    public CompletableFuture<Void> send(OutboxEntry e) {
        String to = e.replyTo() == null || isUnreachable(e.replyTo()) ? reportAddress() : e.replyTo();
        ResultIq iq = new ResultIq(e.commandId(), e.module(), e.action(), e.errorCode(), e.elapsedMillis(), e.payload());
        return query(iq, to, RESULT_ACK_WAIT_MILLIS).<Void>thenApply(reply -> null).whenComplete((ok, err) -> {
            // Only a bounce from the sender itself marks it; a bounce of the fallback must not keep it marked.
            if (err instanceof XMPPException.XMPPErrorException && to.equals(e.replyTo())) {
                unreachable.put(e.replyTo(), System.nanoTime() + replyTimeoutMillis * 1_000_000L);
            }
        });
    }

    /** Sends a health report to the primary cloud address. */
    public CompletableFuture<Void> sendHealth(String reportJson) {
        return sendIq(new HealthIq(reportJson), reportAddress());
    }

    private String reportAddress() {
        Jid last = lastCommander;
        return last != null && !isUnreachable(last.toString()) ? last.toString() : cloud.primary().toString();
    }

    private boolean isUnreachable(String address) {
        Long until = unreachable.get(address);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            unreachable.remove(address, until);
            return false;
        }
        return true;
    }

    @Override
    public long stream() {
        return streams.get();
    }

    private CompletableFuture<Void> sendIq(IQ iq, String to) {
        return query(iq, to, replyTimeoutMillis).thenApply(reply -> null);
    }

    /** Sends an IQ request to the cloud's report address and completes with its answer. */
    public CompletableFuture<IQ> query(IQ iq) {
        return query(iq, reportAddress(), replyTimeoutMillis);
    }

    private CompletableFuture<IQ> query(IQ iq, String to, long timeoutMillis) {
        CompletableFuture<IQ> done = new CompletableFuture<>();
        XMPPTCPConnection c = connection;
        if (c == null || !c.isAuthenticated()) {
            done.completeExceptionally(new SmackException.NotConnectedException());
            return done;
        }
        try {
            Jid target = JidCreate.from(to);
            iq.setTo(target);
        } catch (XmppStringprepException ex) {
            done.completeExceptionally(ex);
            return done;
        }
        c.sendIqRequestAsync(iq, timeoutMillis)
                .onSuccess(done::complete)
                .onError(done::completeExceptionally);
        return done;
    }

    /** The underlying connection, for tests and for features that add their own IQ handlers. */
    public XMPPConnection connection() {
        return connection;
    }

    private void shutdownQuietly() {
        XMPPTCPConnection c = connection;
        if (c != null && c.isConnected()) {
            try {
                c.instantShutdown();
            } catch (RuntimeException e) {
                LOG.debug("error while dropping the connection", e);
            }
        }
    }

    /** Closes the connection cleanly ({@code </stream>}) and stops reconnecting. */
    @Override
    public void close() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        XMPPTCPConnection c = connection;
        if (c != null) {
            c.disconnect();
        }
        disconnected.countDown();
        Thread t = loop;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // An attempt that was connecting when close() began may have put a new connection in place since.
        XMPPTCPConnection last = connection;
        if (last != null && last != c && last.isConnected()) {
            last.disconnect();
        }
        setStatus(ChannelState.STOPPED, status.lastError(), status.attempts(), null, false);
    }
}
