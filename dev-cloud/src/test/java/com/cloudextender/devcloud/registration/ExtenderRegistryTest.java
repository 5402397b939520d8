package com.cloudextender.devcloud.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtenderRegistryTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aCodeWorksUntilItExpires() throws Exception {
        ManualClock clock = new ManualClock();
        ExtenderRegistry registry = ExtenderRegistry.open(dir.resolve("r.json"), clock);
        String code = registry.createActivationCode("acme").code();

        clock.now = clock.now.plus(ExtenderRegistry.DEFAULT_CODE_VALIDITY).minusSeconds(1);
        registry.register(code, "h", "1", "m");
        clock.now = clock.now.plusSeconds(1);

        ActivationRefusedException e = assertThrows(ActivationRefusedException.class,
                () -> registry.register(code, "h", "1", "m"));
        assertTrue(e.getMessage().startsWith("the activation code expired at"), e.getMessage());
    }

    /** The extender died after the cloud registered it and before it stored the answer, then asked again. */
    @Test
    void aRepeatedRegistrationWithTheSameKeyGetsTheSameExtenderWithANewPassword() throws Exception {
        Path file = dir.resolve("r.json");
        ExtenderRegistry registry = ExtenderRegistry.open(file, new ManualClock());
        String code = registry.createActivationCode("acme").code();
        Registration first = registry.register(code, "h", "1", "m", "key-1");
        // Read back from the file, as after a restart of the cloud.
        ExtenderRegistry reopened = ExtenderRegistry.open(file, new ManualClock());
        Registration again = reopened.register(code, "h", "1", "m", "key-1");
        assertEquals(first.account().id(), again.account().id());
        assertFalse(first.password().equals(again.password()));
        assertTrue(reopened.authenticate(again.account().id(), again.password()));
        assertFalse(reopened.authenticate(first.account().id(), first.password()), "the lost answer's password");
        assertEquals(1, reopened.accounts().size());

        // Anything else is the spent code it was before.
        assertThrows(ActivationRefusedException.class, () -> reopened.register(code, "h", "1", "m", "key-2"));
        assertThrows(ActivationRefusedException.class, () -> reopened.register(code, "h", "1", "other-machine", "key-1"));
        assertThrows(ActivationRefusedException.class, () -> reopened.register(code, "h", "1", "m", null));
        reopened.revoke(first.account().id());
        assertThrows(ActivationRefusedException.class, () -> reopened.register(code, "h", "1", "m", "key-1"));
    }

    @Test
    void onlyAHashOfThePasswordIsStoredAndItAuthenticates() throws Exception {
        Path file = dir.resolve("r.json");
        ExtenderRegistry registry = ExtenderRegistry.open(file);
        Registration r = registry.register(registry.addActivationCode("k7q2-9xhd", "acme", Duration.ofDays(1), false).code(),
                "h", "1", "m");

        assertFalse(Files.readString(file).contains(r.password()));
        ExtenderRegistry reopened = ExtenderRegistry.open(file);
        assertTrue(reopened.authenticate(r.account().id(), r.password()));
        assertFalse(reopened.authenticate(r.account().id(), r.password() + "x"));
        assertFalse(reopened.authenticate("ext-unknown", r.password()));
        assertEquals("acme", reopened.find(r.account().id()).orElseThrow().customer());
        assertTrue(reopened.knowsCustomer("acme"));
        assertFalse(reopened.knowsCustomer("globex"));
    }

    @Test
    void revocationIsPersisted() throws Exception {
        Path file = dir.resolve("r.json");
        ExtenderRegistry registry = ExtenderRegistry.open(file);
        Registration r = registry.register(registry.createActivationCode("acme").code(), "h", "1", "m");

        registry.revoke(r.account().id());

        assertFalse(registry.authenticate(r.account().id(), r.password()));
        assertFalse(ExtenderRegistry.open(file).authenticate(r.account().id(), r.password()));
        assertEquals("the credential is revoked", registry.unusableReason(r.account().id()));
    }

    @Test
    void aSpentCodeStaysSpentAfterReopeningAndAReusableOneDoesNot() throws Exception {
        Path file = dir.resolve("r.json");
        ExtenderRegistry registry = ExtenderRegistry.open(file);
        String single = registry.createActivationCode("acme").code();
        String reusable = registry.addActivationCode("demo-0001", "acme", Duration.ofDays(1), true).code();
        registry.register(single, "h", "1", "m");
        registry.register(reusable, "h", "1", "m");

        ExtenderRegistry reopened = ExtenderRegistry.open(file);
        ActivationRefusedException e = assertThrows(ActivationRefusedException.class,
                () -> reopened.register(single, "h2", "1", "m2"));
        assertTrue(e.getMessage().startsWith("the activation code was already used"), e.getMessage());
        reopened.register(reusable, "h3", "1", "m3");
        assertEquals(3, reopened.accounts().size());
    }

    @Test
    void aCodeStoredByAnEarlierVersionIsSingleUse() throws Exception {
        Path file = dir.resolve("r.json");
        Files.writeString(file, "{\"activationCodes\":[{\"code\":\"OLD-CODE\",\"customer\":\"acme\","
                + "\"expiresAt\":\"2999-01-01T00:00:00Z\"}],\"extenders\":[]}");
        ExtenderRegistry registry = ExtenderRegistry.open(file);
        registry.register("old-code", "h", "1", "m");
        assertThrows(ActivationRefusedException.class, () -> registry.register("old-code", "h", "1", "m"));
    }

    @Test
    void theThrottleAllowsABurstOfRefusalsThenOneAttemptPerRefill() throws Exception {
        ManualClock clock = new ManualClock();
        RegistrationThrottle throttle = new RegistrationThrottle(clock, 3, Duration.ofSeconds(10));
        java.net.InetAddress a = java.net.InetAddress.getByName("192.0.2.1");
        java.net.InetAddress b = java.net.InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.waitFor(a).isEmpty(), "attempt " + i);
            throttle.refused(a);
        }
        assertEquals(Duration.ofSeconds(10), throttle.waitFor(a).orElseThrow());
        assertTrue(throttle.waitFor(b).isEmpty(), "another address is not slowed");
        clock.now = clock.now.plusSeconds(4);
        assertEquals(Duration.ofSeconds(6), throttle.waitFor(a).orElseThrow());
        clock.now = clock.now.plusSeconds(6);
        assertTrue(throttle.waitFor(a).isEmpty());
        throttle.refused(a);
        assertEquals(Duration.ofSeconds(10), throttle.waitFor(a).orElseThrow(), "one refusal spends the one earned");
    }
}
