package com.cloudextender.core.identity;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

import com.cloudextender.core.net.Urls;
import com.cloudextender.core.protocol.WireText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Registers the extender with an activation code (docs/PROTOCOL.md, section 1). */
public final class Registration {
    private final CloseableHttpClient http;
    private final URI apiUrl;
    private final ObjectMapper json = new ObjectMapper();

    public Registration(CloseableHttpClient http, URI apiUrl) {
        this.http = http;
        this.apiUrl = apiUrl;
    }

    /**
     * Registers and returns the new identity.
     *
     * @throws RegistrationException when the cloud refuses the code or cannot be reached
     */
    public Identity register(String activationCode, String hostname, String version, String machineFingerprint,
            long now) throws RegistrationException {
        return register(activationCode, hostname, version, machineFingerprint, null, now);
    }

    /**
     * As {@link #register(String, String, String, String, long)}, with the installation's registration key, so
     * that a repeated request (the answer to the first was lost in a crash) gets the same extender back.
     */
    public Identity register(String activationCode, String hostname, String version, String machineFingerprint,
            String registrationKey, long now) throws RegistrationException {
        URI target = apiUrl.resolve("/api/v1/register");
        HttpPost post = new HttpPost(target);
        try {
            Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("activationCode", activationCode,
                    "hostname", hostname, "version", version, "machine", machineFingerprint));
            if (registrationKey != null) {
                fields.put("registrationKey", registrationKey);
            }
            String body = json.writeValueAsString(fields);
            post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
            return http.execute(post, response -> {
                String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
                int code = response.getCode();
                if (code == 201 || code == 200) {
                    return parse(text, now);
                }
                String why = errorOf(text);
                if (code == 403) {
                    throw new IOException(new RegistrationException("the cloud refused the activation code: " + why
                            + ". Get a new activation code from the cloud console and set activation.code"));
                }
                throw new IOException(new RegistrationException("registration at " + Urls.shown(target) + " failed with HTTP "
                        + code + ": " + why));
            });
        } catch (IOException e) {
            if (e.getCause() instanceof RegistrationException r) {
                throw r;
            }
            throw new RegistrationException("cannot reach the cloud at " + Urls.shown(target) + " to register: " + e
                    + ". Check cloud.apiUrl, the proxy settings and the trust store", e);
        }
    }

    /** The cloud's reason, escaped and cut: it ends up in the log and in the status (see {@link WireText}). */
    private String errorOf(String text) {
        try {
            JsonNode n = json.readTree(text);
            return WireText.of(n.hasNonNull("error") ? n.get("error").asText() : text, 200);
        } catch (IOException e) {
            return WireText.of(text, 200);
        }
    }

    private Identity parse(String text, long now) throws IOException {
        JsonNode n = json.readTree(text);
        for (String field : List.of("extenderId", "jid", "password", "xmppDomain")) {
            if (!n.hasNonNull(field) || n.get(field).asText().isBlank()) {
                throw new IOException(new RegistrationException("the cloud's registration answer has no '" + field
                        + "'"));
            }
        }
        List<String> addresses = new ArrayList<>();
        if (n.has("cloudAddresses")) {
            n.get("cloudAddresses").forEach(a -> addresses.add(a.asText()));
        }
        return new Identity(n.get("extenderId").asText(), n.path("customerId").asText(""), n.get("jid").asText(),
                n.get("password").asText(), n.get("xmppDomain").asText(), addresses, now);
    }
}
