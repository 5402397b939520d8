package com.cloudextender.modules.meg;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleConfig;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.api.Reconfigurable;
import com.cloudextender.modules.meg.allow.AllowList;
import com.cloudextender.modules.meg.allow.RefusedException;
import com.cloudextender.modules.meg.allow.SpecialAddresses;
import com.cloudextender.modules.meg.allow.TargetCheck;
import com.cloudextender.modules.meg.config.MegConfig;
import com.cloudextender.modules.meg.log.AccessLog;
import com.cloudextender.modules.meg.relay.RelayServices;
import com.cloudextender.modules.meg.relay.StreamRelay;
import com.cloudextender.modules.meg.relay.TargetPool;
import com.cloudextender.modules.meg.tunnel.TlsContexts;
import com.cloudextender.modules.meg.tunnel.Tunnel;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Mobile Enterprise Gateway: keeps the tunnel to the cloud's relay and forwards each relayed
 * request to an intranet target the allow list permits. Actions: {@code status} (the tunnel's
 * connections and streams) and {@code check} (what the allow list says about a URL). An allow-list
 * change is applied in place (running streams the new list still allows go on); any other change
 * restarts the module.
 */
public final class MegModule implements ExtenderModule, Reconfigurable {
    private static final Logger LOG = LoggerFactory.getLogger(MegModule.class);
    /** Target connections kept for a client connection (NTLM affinity): long enough for a user's next click. */
    static final Duration POOL_IDLE = Duration.ofSeconds(30);
    static final int POOL_PER_KEY = 4;
    static final int POOL_TOTAL = 256;

    private final AtomicReference<AllowList> allowList = new AtomicReference<>(AllowList.denyAll());
    private volatile MegConfig config;
    private EventLoopGroup group;
    private ExecutorService resolver;
    private RelayServices services;
    private Tunnel tunnel;

    @Override
    public void start(ModuleContext context) throws Exception {
        MegConfig c = MegConfig.from(context.config());
        config = c;
        allowList.set(c.allowList());
        MegMetrics metrics = new MegMetrics(context.metrics());
        group = new NioEventLoopGroup(2, new DefaultThreadFactory("meg-io", true));
        resolver = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256),
                daemon("meg-resolve"));
        ((ThreadPoolExecutor) resolver).allowCoreThreadTimeOut(true);
        TargetCheck check = new TargetCheck(allowList::get, SpecialAddresses.ofThisMachine(),
                TargetCheck.Resolver.system());
        services = new RelayServices(check, resolver, TlsContexts.target(c.targetTrust()), metrics, new AccessLog(),
                c.credential(), connectorName(), c.connectTimeout(), c.streamIdle(), c.streamMax(), c.maxStreams(),
                new TargetPool(POOL_IDLE, POOL_PER_KEY, POOL_TOTAL));
        tunnel = new Tunnel(c, group, context.proxies(), TlsContexts.relay(c.relayTrust()), services, metrics);
        tunnel.start();
        LOG.info("MEG started: {} connection(s) to {}; allow list: {} host(s), {} suffix(es), {} range(s)",
                c.connections(), c.relays(), c.allowList().exactHosts().size(), c.allowList().suffixes().size(),
                c.allowList().cidrs().size());
    }

    @Override
    public Map<String, ActionHandler> actions() {
        return Map.of("status", this::status, "check", this::check);
    }

    /**
     * Applies a new allow list in place when nothing else changed: new requests see it at once, and
     * running streams whose target it no longer allows end with {@code refused-by-allowlist}.
     */
    @Override
    public boolean reconfigure(ModuleConfig newConfig) {
        MegConfig next = MegConfig.from(newConfig);
        MegConfig current = config;
        if (current == null || !current.sameTunnelAs(next)) {
            return false;
        }
        allowList.set(next.allowList());
        config = next;
        for (StreamRelay s : services.streams()) {
            s.recheck(next.allowList());
        }
        LOG.info("MEG allow list changed in place: {} host(s), {} suffix(es), {} range(s)",
                next.allowList().exactHosts().size(), next.allowList().suffixes().size(),
                next.allowList().cidrs().size());
        return true;
    }

    private CommandResult status(Command command) {
        ObjectNode out = Json.object();
        ArrayNode conns = out.putArray("connections");
        for (Map<String, Object> m : tunnel.status()) {
            conns.add(Json.MAPPER.valueToTree(m));
        }
        out.put("connectionsUp", tunnel.connectionsUp());
        out.put("streamsInFlight", services.streams().size());
        AllowList l = allowList.get();
        ObjectNode allow = out.putObject("allowList");
        allow.put("hosts", l.exactHosts().size());
        allow.put("suffixes", l.suffixes().size());
        allow.put("ranges", l.cidrs().size());
        return CommandResult.ok(out.toString());
    }

    /** {@code {"url":"http://host:port/…"}} or {@code {"connect":"host:port"}}: what the allow list decides. */
    private CommandResult check(Command command) throws CommandException {
        Arguments args = Arguments.parse(command.arguments());
        ObjectNode out = Json.object();
        TargetCheck.Checked c;
        try {
            if (args.text("connect").isPresent()) {
                String t = args.text("connect").get();
                int colon = t.lastIndexOf(':');
                if (colon < 1) {
                    throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "connect: give host:port");
                }
                c = services.check().checkConnect(t.substring(0, colon), port(t.substring(colon + 1)));
            } else {
                URI u = URI.create(args.requireText("url"));
                if (u.getHost() == null && u.getRawAuthority() == null) {
                    throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "url: needs scheme://host");
                }
                String host = u.getHost() != null ? u.getHost() : u.getRawAuthority().replaceAll(":[0-9]*$", "");
                int port = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
                c = services.check().checkHttp(u.getScheme(), host, port);
            }
        } catch (RefusedException e) {
            out.put("allowed", false);
            out.put("reason", e.reason().wireName());
            out.put("message", e.getMessage());
            return CommandResult.ok(out.toString());
        } catch (UnknownHostException e) {
            out.put("allowed", false);
            out.put("reason", "unresolved");
            out.put("message", "the name does not resolve");
            return CommandResult.ok(out.toString());
        } catch (IllegalArgumentException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "url: " + e.getMessage());
        }
        out.put("allowed", true);
        out.put("host", c.host());
        out.put("port", c.port());
        ArrayNode a = out.putArray("addresses");
        for (InetAddress addr : c.addresses()) {
            a.add(addr.getHostAddress());
        }
        return CommandResult.ok(out.toString());
    }

    private static int port(String text) throws CommandException {
        if (!text.matches("[0-9]{1,5}")) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "connect: '" + text + "' is not a port");
        }
        return Integer.parseInt(text);
    }

    @Override
    public void stop() throws Exception {
        if (tunnel != null) {
            tunnel.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (resolver != null) {
            resolver.shutdownNow();
        }
    }

    private static String connectorName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "extender";
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
