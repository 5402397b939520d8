package com.cloudextender.modules.exchange.onprem;

import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and supervises the ONE long-lived PowerShell host process and talks to it over
 * {@link HostProtocol}. One request at a time (Exchange throttles concurrent sessions per user, and one
 * session is all the module opens), taken in arrival order from a bounded queue: when the queue is full
 * a request fails at once with {@link Reason#BUSY}. Each line of an answer must arrive within the
 * request time limit; a host that misses it is killed (it hangs), one that exits is noticed at once
 * (it crashed), and the next request starts a new one. The host's standard error goes to a file.
 * Thread-safe.
 */
public final class PowerShellHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PowerShellHost.class);
    private static final String EOF = "\u0000eof";

    private final List<String> command;
    private final ObjectNode init;
    private final Path errorLog;
    private final Duration requestTimeout;
    private final Duration startTimeout;
    private final Semaphore admission;
    private final ReentrantLock turn = new ReentrantLock(true);
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong starts = new AtomicLong();
    private final AtomicLong crashes = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private Process process;
    private BufferedWriter toHost;
    private BlockingQueue<String> fromHost;
    private String version;
    private volatile boolean closed;

    /**
     * @param command        the host's command line (no secret on it)
     * @param init           the first line sent: the connection settings, credentials included
     * @param errorLog       where the host's standard error is appended
     * @param queueSize      requests that may wait while one runs
     */
    public PowerShellHost(List<String> command, ObjectNode init, Path errorLog, Duration requestTimeout,
                          Duration startTimeout, int queueSize) {
        this.command = List.copyOf(command);
        this.init = init.deepCopy();
        this.errorLog = errorLog;
        this.requestTimeout = requestTimeout;
        this.startTimeout = startTimeout;
        this.admission = new Semaphore(queueSize + 1, true);
    }

    /** Receives the output objects of a request as they arrive. */
    @FunctionalInterface
    public interface ObjectsHandler {
        void accept(JsonNode object) throws ExchangeException, InterruptedException;
    }

    /** The server version the host reported when it opened the session (starting it when needed). */
    public String version() throws ExchangeException, InterruptedException {
        turn.lockInterruptibly();
        try {
            ensureRunning();
            return version;
        } finally {
            turn.unlock();
        }
    }

    /**
     * Sends one request line and hands its output objects to {@code objects}; returns the end line.
     *
     * @throws ExchangeException BUSY when the queue is full, TIMEOUT when the host hung (it is killed),
     *                           UNREACHABLE when it could not start or exited
     */
    public JsonNode request(String requestLine, String id, ObjectsHandler objects)
            throws ExchangeException, InterruptedException {
        if (!admission.tryAcquire()) {
            refused.incrementAndGet();
            throw new ExchangeException(Reason.BUSY, "the Exchange PowerShell queue is full ("
                    + (admission.availablePermits() + admission.getQueueLength()) + " waiting); try again shortly");
        }
        try {
            turn.lockInterruptibly();
            try {
                ensureRunning();
                write(requestLine);
                while (true) {
                    JsonNode line = read(id);
                    String type = line.path("type").asText();
                    if (!id.equals(line.path("id").asText())) {
                        kill("answered request " + line.path("id").asText() + " while " + id + " was asked");
                        throw new ExchangeException(Reason.GARBAGE, "the PowerShell host answered another request; "
                                + "it was restarted");
                    }
                    if (type.equals("objects")) {
                        for (JsonNode o : line.path("objects")) {
                            objects.accept(o);
                        }
                    } else if (type.equals("end")) {
                        return line;
                    } else {
                        kill("sent a line of type '" + type + "'");
                        throw new ExchangeException(Reason.GARBAGE, "the PowerShell host sent an unknown line; it was restarted");
                    }
                }
            } finally {
                turn.unlock();
            }
        } finally {
            admission.release();
        }
    }

    /** A new request id. */
    public String nextId() {
        return Long.toString(ids.incrementAndGet());
    }

    /** Starts, crashes, hangs and refused requests so far, for diagnose. */
    public ObjectNode counters() {
        ObjectNode o = Json.object();
        o.put("hostStarts", starts.get());
        o.put("hostCrashes", crashes.get());
        o.put("hostHangs", hangs.get());
        o.put("queueFullRefusals", refused.get());
        o.put("concurrency", 1);
        return o;
    }

    /** The running process's id, or -1 (tests check restarts with it). */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    private void ensureRunning() throws ExchangeException, InterruptedException {
        if (closed) {
            throw new ExchangeException(Reason.UNREACHABLE, "the module is stopping; the PowerShell host is closed");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        if (process != null) {
            crashes.incrementAndGet();
            LOG.warn("The Exchange PowerShell host exited (code {}); starting a new one", process.exitValue());
            process = null;
        }
        start();
    }

    private void start() throws ExchangeException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(errorLog.toFile())).start();
        } catch (IOException e) {
            throw new ExchangeException(Reason.UNREACHABLE, "cannot start the PowerShell host (" + command.get(0)
                    + "): " + e.getMessage() + "; check onPremises.powershell", e);
        }
        starts.incrementAndGet();
        process = p;
        toHost = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        fromHost = lines;
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // The reader ends when the process's output closes, which kill() and close() make sure of.
        Thread t = new Thread(() -> {
            try {
                for (String l; (l = reader.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process went away
            } finally {
                lines.add(EOF);
            }
        }, "exchange-powershell-host-reader");
        t.setDaemon(true);
        t.start();
        write(Json.text(init));
        JsonNode hello = readLine(startTimeout, "open the Exchange session");
        if (!hello.path("type").asText().equals("hello")) {
            kill("did not greet");
            throw new ExchangeException(Reason.GARBAGE, "the PowerShell host did not answer with hello");
        }
        if (hello.hasNonNull("error")) {
            kill("could not open the session");
            String err = hello.get("error").asText();
            boolean auth = err.toLowerCase(java.util.Locale.ROOT).contains("access") || err.contains("401")
                    || err.toLowerCase(java.util.Locale.ROOT).contains("logon");
            throw new ExchangeException(auth ? Reason.AUTHENTICATION : Reason.UNREACHABLE,
                    "the PowerShell host could not open the Exchange session: " + err);
        }
        if (hello.path("protocol").asInt() != HostProtocol.VERSION) {
            kill("speaks another protocol");
            throw new ExchangeException(Reason.GARBAGE, "the PowerShell host speaks protocol "
                    + hello.path("protocol").asText() + ", the module " + HostProtocol.VERSION);
        }
        version = hello.path("version").asText("");
        LOG.info("Exchange PowerShell host started (pid {}), server version {}", p.pid(), version);
    }

    private void write(String line) throws ExchangeException {
        try {
            toHost.write(line);
            toHost.write('\n');
            toHost.flush();
        } catch (IOException e) {
            kill("cannot be written to");
            throw new ExchangeException(Reason.UNREACHABLE, "the PowerShell host went away: " + e.getMessage(), e);
        }
    }

    private JsonNode read(String id) throws ExchangeException, InterruptedException {
        return readLine(requestTimeout, "answer request " + id);
    }

    private JsonNode readLine(Duration limit, String what) throws ExchangeException, InterruptedException {
        String line = fromHost.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            hangs.incrementAndGet();
            kill("did not " + what + " within " + limit.toMillis() + " ms");
            throw new ExchangeException(Reason.TIMEOUT, "the PowerShell host did not " + what + " within "
                    + limit.toSeconds() + " s; it was stopped and the next request starts a new one");
        }
        if (line.equals(EOF)) {
            crashes.incrementAndGet();
            int code = waitExit();
            process = null;
            throw new ExchangeException(Reason.UNREACHABLE, "the PowerShell host exited (code " + code + ") before it could "
                    + what + "; the next request starts a new one (see " + errorLog.getFileName() + ")");
        }
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            kill("wrote a line that is not JSON");
            throw new ExchangeException(Reason.GARBAGE, "the PowerShell host wrote a line that is not JSON ("
                    + line.length() + " characters); it was restarted");
        }
    }

    private int waitExit() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return -1;
        }
        return p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private void kill(String why) {
        Process p = process;
        process = null;
        if (p != null) {
            LOG.warn("Stopping the Exchange PowerShell host (pid {}): it {}", p.pid(), why);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        closed = true;
        kill("is no longer needed (module stopping)");
    }
}
