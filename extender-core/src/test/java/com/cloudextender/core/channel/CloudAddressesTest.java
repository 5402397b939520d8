package com.cloudextender.core.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

import com.cloudextender.core.config.ConfigException;

class CloudAddressesTest {
    @Test
    void onlyConfiguredBareAddressesMayCommand() throws Exception {
        CloudAddresses a = new CloudAddresses(List.of("cloud.test", "console@corp.test"));
        var domain = JidCreate.from("cloud.test");
        assertTrue(a.mayCommand(JidCreate.from("cloud.test"), domain));
        assertTrue(a.mayCommand(JidCreate.from("console@corp.test/any-resource"), domain));
        assertFalse(a.mayCommand(JidCreate.from("intruder@cloud.test/x"), domain), "a user of the cloud's domain");
        assertFalse(a.mayCommand(JidCreate.from("console@other.test/x"), domain));
        assertTrue(a.mayCommand(null, domain), "no 'from' means the server itself");
        assertFalse(a.mayCommand(null, JidCreate.from("other.test")));
    }

    @Test
    void emptyOrInvalidListIsAConfigError() {
        assertThrows(ConfigException.class, () -> new CloudAddresses(List.of()));
        assertThrows(ConfigException.class, () -> new CloudAddresses(List.of("user@")));
    }
}
