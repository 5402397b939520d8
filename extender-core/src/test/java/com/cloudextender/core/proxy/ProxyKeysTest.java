package com.cloudextender.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.config.ConfigException;

/** proxy.authSchemes and the keys that depend on it. */
class ProxyKeysTest {
    private static ProxySettings read(Map<String, String> keys) {
        return ProxyKeys.read(k -> Optional.ofNullable(keys.get(k)), Optional.of("p"), 3128, Optional.of("u"),
                Optional.of("pw"), (k, d) -> d);
    }

    private static String error(Map<String, String> keys) {
        return assertThrows(ConfigException.class, () -> read(keys)).getMessage();
    }

    @Test
    void defaultIsNegotiateThenNtlmAndNeverBasic() {
        assertEquals(List.of(ProxyAuth.NEGOTIATE, ProxyAuth.NTLM), read(Map.of()).authSchemes());
    }

    @Test
    void theListIsReadInItsOwnSpelling() {
        assertEquals(List.of(ProxyAuth.NTLM, ProxyAuth.BASIC), read(Map.of("proxy.authSchemes", " NTLM, basic ")).authSchemes());
        assertEquals(List.of(ProxyAuth.NTLM), read(Map.of("proxy.auth", "ntlm")).authSchemes(), "the older key");
    }

    @Test
    void mistakesNameTheKey() {
        assertEquals("proxy.authSchemes: 'digest' is not a scheme; write a list of negotiate, ntlm and basic, for "
                + "example negotiate,ntlm", error(Map.of("proxy.authSchemes", "ntlm,digest")));
        assertEquals("proxy.authSchemes: 'ntlm' is listed twice", error(Map.of("proxy.authSchemes", "ntlm,ntlm")));
        assertEquals("proxy.authSchemes: empty; write a list of negotiate, ntlm and basic",
                error(Map.of("proxy.authSchemes", " , ")));
        assertEquals("proxy.auth: set together with proxy.authSchemes; keep proxy.authSchemes only",
                error(Map.of("proxy.authSchemes", "ntlm", "proxy.auth", "ntlm")));
        assertEquals("proxy.domain: set, but proxy.authSchemes has no ntlm",
                error(Map.of("proxy.authSchemes", "basic", "proxy.domain", "CORP")));
        assertEquals("proxy.kerberos.principal: set, but proxy.authSchemes has no negotiate",
                error(Map.of("proxy.authSchemes", "ntlm", "proxy.kerberos.principal", "svc@CORP")));
        assertEquals("proxy.kerberos.keytab: /nonexistent.keytab is not a readable file",
                error(Map.of("proxy.kerberos.keytab", "/nonexistent.keytab")));
    }

    @Test
    void theKeytabNeedsThePrincipal() throws Exception {
        java.nio.file.Path keytab = java.nio.file.Files.createTempFile("svc", ".keytab");
        try {
            assertEquals("proxy.kerberos.principal: missing; a keytab needs the principal to log in as",
                    error(Map.of("proxy.kerberos.keytab", keytab.toString())));
            ProxySettings s = read(Map.of("proxy.kerberos.keytab", keytab.toString(), "proxy.kerberos.principal",
                    "svc@CORP"));
            assertEquals(Optional.of(keytab), s.kerberosKeytab());
            assertEquals(Duration.ofMinutes(5), s.cacheTtl());
        } finally {
            java.nio.file.Files.delete(keytab);
        }
    }
}
