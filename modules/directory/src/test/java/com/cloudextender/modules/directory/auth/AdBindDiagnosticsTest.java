package com.cloudextender.modules.directory.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AdBindDiagnosticsTest {
    private static final String PREFIX = "80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data ";

    @ParameterizedTest
    @CsvSource({
        "525, USER_NOT_FOUND",
        "52e, INVALID_CREDENTIALS",
        "52E, INVALID_CREDENTIALS",
        "530, LOGON_HOURS",
        "531, WORKSTATION_RESTRICTED",
        "532, PASSWORD_EXPIRED",
        "533, ACCOUNT_DISABLED",
        "701, ACCOUNT_EXPIRED",
        "773, PASSWORD_MUST_CHANGE",
        "775, ACCOUNT_LOCKED"
    })
    void decodesEachSubCodeOfARealMessage(String code, AuthFailure expected) {
        assertEquals(Optional.of(expected), AdBindDiagnostics.decode(PREFIX + code + ", v3839\u0000"));
    }

    @Test
    void decodesTheOlderServerWording() {
        // Windows Server 2008 R2 wording, version suffix v1db1.
        assertEquals(Optional.of(AuthFailure.ACCOUNT_LOCKED), AdBindDiagnostics.decode(
                "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 775, v1db1"));
    }

    @Test
    void ignoresMessagesWithoutAKnownSubCode() {
        assertEquals(Optional.empty(), AdBindDiagnostics.decode("invalid credentials"));
        assertEquals(Optional.empty(), AdBindDiagnostics.decode(PREFIX + "999, v3839"));
        assertEquals(Optional.empty(), AdBindDiagnostics.decode(null));
        // "data" inside another word is not a sub-code.
        assertEquals(Optional.empty(), AdBindDiagnostics.decode("metadata 775 mismatch"));
    }
}
