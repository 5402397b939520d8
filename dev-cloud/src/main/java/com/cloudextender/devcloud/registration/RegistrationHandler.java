package com.cloudextender.devcloud.registration;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.devcloud.http.ApiException;
import com.cloudextender.devcloud.http.Exchanges;
import com.cloudextender.devcloud.http.JsonHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * {@code POST /api/v1/register} (docs/PROTOCOL.md section 1): turns an activation code into a new
 * extender id and XMPP credential. No console token is needed: the activation code is the credential,
 * so refused attempts are throttled per client address ({@link RegistrationThrottle}: 429 with
 * {@code Retry-After}).
 */
public final class RegistrationHandler extends JsonHandler {
    /** Where the handler is mounted. */
    public static final String PATH = "/api/v1/register";

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationHandler.class);

    private final ExtenderRegistry registry;
    private final String domain;
    private final RegistrationThrottle throttle;

    public RegistrationHandler(ExtenderRegistry registry, String domain) {
        this(registry, domain, new RegistrationThrottle());
    }

    public RegistrationHandler(ExtenderRegistry registry, String domain, RegistrationThrottle throttle) {
        this.registry = registry;
        this.domain = domain;
        this.throttle = throttle;
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException, ApiException {
        String path = exchange.getRequestURI().getPath();
        if (!PATH.equals(path) && !(PATH + "/").equals(path)) {
            throw ApiException.notFound("no such endpoint: " + path);
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw ApiException.methodNotAllowed(exchange.getRequestMethod(), PATH);
        }
        InetAddress client = exchange.getRemoteAddress().getAddress();
        Optional<Duration> wait = throttle.waitFor(client);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            throw new ApiException(429, "too many refused registrations from this address; try again in "
                    + seconds + " s");
        }
        ObjectNode body = Exchanges.readJsonObject(exchange);
        String code = Exchanges.requiredText(body, "activationCode");
        String hostname = Exchanges.requiredText(body, "hostname");
        String version = Exchanges.requiredText(body, "version");
        String machine = Exchanges.requiredText(body, "machine");
        String registrationKey = Exchanges.optionalText(body, "registrationKey");

        Registration registration;
        try {
            registration = registry.register(code, hostname, version, machine, registrationKey);
        } catch (ActivationRefusedException e) {
            throttle.refused(client);
            LOG.warn("Refused a registration from {} (host '{}'): {}", exchange.getRemoteAddress(), hostname,
                    e.getMessage());
            throw new ApiException(403, e.getMessage());
        }
        ExtenderAccount account = registration.account();
        ObjectNode answer = Exchanges.JSON.createObjectNode();
        answer.put("extenderId", account.id());
        answer.put("customerId", account.customer());
        answer.put("jid", account.id() + "@" + domain);
        answer.put("password", registration.password());
        answer.put("xmppDomain", domain);
        answer.putArray("cloudAddresses").add(domain);
        Exchanges.sendJson(exchange, 201, answer);
    }
}
