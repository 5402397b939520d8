package com.cloudextender.devcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cloudextender.devcloud.registration.RegistrationThrottle;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code POST /api/v1/register}, docs/PROTOCOL.md section 1. */
class RegistrationTest extends WithDevCloud {
    Api api;

    @BeforeEach
    void api() throws Exception {
        api = new Api(cloud);
    }

    private Api.Response register(String code) throws Exception {
        return api.post("/api/v1/register",
                "{\"activationCode\":\"" + code + "\",\"hostname\":\"srv-dc01\",\"version\":\"0.1.0\",\"machine\":\"9f2c\"}",
                null);
    }

    @Test
    void aCodeRegistersOneExtenderAndIsThenSpent() throws Exception {
        String code = cloud.createActivationCode("acme");

        Api.Response first = register(code);
        Api.Response second = register(code.toLowerCase()); // codes are case-insensitive

        assertEquals(201, first.status(), first.body());
        JsonNode json = first.json();
        String id = json.get("extenderId").asText();
        assertTrue(id.startsWith("ext-"), id);
        assertEquals("acme", json.get("customerId").asText());
        assertEquals(id + "@localhost", json.get("jid").asText());
        assertEquals("localhost", json.get("xmppDomain").asText());
        assertEquals("[\"localhost\"]", json.get("cloudAddresses").toString());
        assertTrue(json.get("password").asText().length() >= 20);
        assertEquals(403, second.status(), second.body());
        assertTrue(second.json().get("error").asText().startsWith("the activation code was already used"),
                second.body());
        assertEquals(1, cloud.extenders().size());
        assertEquals("acme", cloud.extender(id).orElseThrow().customer());
    }

    @Test
    void aReusableCodeRegistersANewExtenderEveryTime() throws Exception {
        String code = cloud.addActivationCode("DEMO-CODE-0001", "acme", true);

        Api.Response first = register(code);
        Api.Response second = register(code);

        assertEquals(201, first.status(), first.body());
        assertEquals(201, second.status(), second.body());
        assertNotEquals(first.json().get("extenderId").asText(), second.json().get("extenderId").asText());
        assertNotEquals(first.json().get("password").asText(), second.json().get("password").asText());
        assertEquals(2, cloud.extenders().size());
    }

    @Test
    void guessingCodesFromOneAddressIsAnswered429WithRetryAfter() throws Exception {
        String code = cloud.createActivationCode("acme");
        for (int i = 0; i < RegistrationThrottle.DEFAULT_BURST; i++) {
            assertEquals(403, register("GUES-SSED-CODE-000" + i).status());
        }

        Api.Response throttled = register(code); // even the right code waits now

        assertEquals(429, throttled.status(), throttled.body());
        long retryAfter = Long.parseLong(throttled.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= RegistrationThrottle.DEFAULT_REFILL.toSeconds(), "" + retryAfter);
        assertTrue(cloud.extenders().isEmpty());
    }

    @Test
    void anUnknownCodeIsForbidden() throws Exception {
        cloud.createActivationCode("acme");

        Api.Response response = register("AAAA-BBBB-CCCC-DDDD");

        assertEquals(403, response.status());
        assertEquals("unknown activation code", response.json().get("error").asText());
        assertTrue(cloud.extenders().isEmpty());
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        Api.Response response = api.post("/api/v1/register", "{\"activationCode\":", null);

        assertEquals(400, response.status());
        assertTrue(response.json().get("error").asText().contains("not valid JSON"), response.body());
    }

    @Test
    void aMissingFieldIsABadRequestNamingTheField() throws Exception {
        String code = cloud.createActivationCode("acme");

        Api.Response response = api.post("/api/v1/register",
                "{\"activationCode\":\"" + code + "\",\"version\":\"0.1.0\",\"machine\":\"9f2c\"}", null);

        assertEquals(400, response.status());
        assertEquals("field 'hostname' is missing", response.json().get("error").asText());
        assertTrue(cloud.extenders().isEmpty());
    }

    @Test
    void registrationsSurviveARestartWithTheSameCertificate() throws Exception {
        String code = cloud.createActivationCode("acme");
        String id = register(code).json().get("extenderId").asText();
        String pem = Files.readString(cloud.certificatePem());
        cloud.close();

        cloud = DevCloud.start(DevCloudOptions.ephemeral(dir));

        assertTrue(cloud.extender(id).isPresent());
        assertFalse(cloud.extender(id).get().connected());
        assertEquals(pem, Files.readString(cloud.certificatePem()));
        // The code stays spent across the restart.
        assertEquals(403, new Api(cloud).post("/api/v1/register",
                "{\"activationCode\":\"" + code + "\",\"hostname\":\"h\",\"version\":\"1\",\"machine\":\"m\"}", null)
                .status());
    }
}
