package com.cloudextender.modules.exchange.onprem;

import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.cloudextender.modules.exchange.cmdlet.ServerVersion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchange 2010 to 2019 through the supervised {@link PowerShellHost}: the server's version is taken
 * from the host's greeting and decides the cmdlet names; PowerShell errors are typed by their category;
 * a read that failed because the host crashed is sent once more to the new host (a change never is:
 * whether it happened is for the caller's read-back to find out). Warnings that report a micro delay
 * (Exchange's throttling telling a client to slow down) make the next request wait that long.
 * Thread-safe.
 */
public final class OnPremisesBackend implements ExchangeBackend {
    private static final Logger LOG = LoggerFactory.getLogger(OnPremisesBackend.class);
    private static final java.util.regex.Pattern MICRO_DELAY =
            java.util.regex.Pattern.compile("(?i)micro ?delay[^0-9]*([0-9]{1,6})\\s*(ms|milliseconds?)?");
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final PowerShellHost host;
    private final AtomicLong microDelays = new AtomicLong();
    private volatile long delayUntilNanos;
    private volatile ServerVersion version;

    public OnPremisesBackend(PowerShellHost host) {
        this.host = host;
    }

    @Override
    public String kind() {
        return "onPremises";
    }

    @Override
    public ServerVersion version() throws ExchangeException, InterruptedException {
        ServerVersion v = version;
        if (v == null) {
            String reported = host.version();
            try {
                v = ServerVersion.onPremises(reported);
            } catch (IllegalArgumentException e) {
                throw new ExchangeException(Reason.UNSUPPORTED, e.getMessage());
            }
            version = v;
        }
        return v;
    }

    @Override
    public void checkAuthentication() throws ExchangeException, InterruptedException {
        host.version(); // the host answers hello only after the remote session opened with the credentials
    }

    @Override
    public ObjectNode throttling() {
        ObjectNode o = host.counters();
        o.put("microDelayWarnings", microDelays.get());
        return o;
    }

    @Override
    public List<String> stream(CmdletCall call, ObjectSink objects) throws ExchangeException, InterruptedException {
        try {
            return once(call, objects);
        } catch (ExchangeException e) {
            if (e.reason() == Reason.UNREACHABLE && !call.cmdlet().changes()) {
                LOG.info("Retrying {} once on a new PowerShell host: {}", call.cmdlet().cmdletName(), e.getMessage());
                return once(call, objects);
            }
            throw e;
        }
    }

    private List<String> once(CmdletCall call, ObjectSink objects) throws ExchangeException, InterruptedException {
        String name = call.cmdlet().nameFor(version());
        long wait = delayUntilNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String id = host.nextId();
        JsonNode end = host.request(HostProtocol.request(id, name, call), id, o -> {
            if (!(o instanceof ObjectNode on)) {
                throw new ExchangeException(Reason.GARBAGE, name + ": the host sent an output that is not an object");
            }
            objects.accept(on);
        });
        List<String> warnings = new ArrayList<>();
        end.path("warnings").forEach(w -> warnings.add(w.asText()));
        for (String w : warnings) {
            var m = MICRO_DELAY.matcher(w);
            if (m.find()) {
                microDelays.incrementAndGet();
                long ms = Math.min(Long.parseLong(m.group(1)), MAX_DELAY.toMillis());
                delayUntilNanos = System.nanoTime() + ms * 1_000_000;
            }
        }
        JsonNode error = end.get("error");
        if (error != null && !error.isNull()) {
            throw failure(name, error);
        }
        return warnings;
    }

    /** The typed failure for a PowerShell error record's category and message. */
    static ExchangeException failure(String cmdlet, JsonNode error) {
        String category = error.path("category").asText("");
        String message = error.path("message").asText("(no message)");
        String errorId = error.path("errorId").asText("");
        String text = cmdlet + ": " + message + (errorId.isEmpty() ? "" : " [" + errorId + "]");
        String lower = (category + " " + errorId + " " + message).toLowerCase(Locale.ROOT);
        if (category.equals("NotAllowed")) {
            return new ExchangeException(Reason.INVALID_PARAMETER, text);
        }
        if (category.equals("ObjectNotFound") || lower.contains("managementobjectnotfound")
                || lower.contains("couldn't be found")) {
            return new ExchangeException(Reason.NOT_FOUND, text);
        }
        if (category.equals("InvalidArgument") || lower.contains("parameterbinding")) {
            return new ExchangeException(Reason.INVALID_PARAMETER, text);
        }
        if (category.equals("PermissionDenied") || lower.contains("isn't within your current management scope")
                || lower.contains("commandnotfound")) {
            return new ExchangeException(Reason.PERMISSION, text + "; the account's roles may not include it");
        }
        if (category.equals("OperationTimeout") || lower.contains("throttl")) {
            return new ExchangeException(Reason.THROTTLED, text);
        }
        return new ExchangeException(Reason.SERVER_ERROR, text);
    }

    @Override
    public void close() {
        host.close();
    }
}
