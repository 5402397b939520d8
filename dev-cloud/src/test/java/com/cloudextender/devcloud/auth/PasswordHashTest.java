package com.cloudextender.devcloud.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void matchesOnlyTheOriginalPassword() {
        PasswordHash hash = PasswordHash.of("s3cret");

        assertTrue(hash.matches("s3cret"));
        assertFalse(hash.matches("s3cret "));
        assertFalse(hash.matches(null));
        assertFalse(hash.hash().contains("s3cret"));
    }

    @Test
    void saltsMakeEqualPasswordsHashDifferently() {
        assertNotEquals(PasswordHash.of("same").hash(), PasswordHash.of("same").hash());
    }

    @Test
    void bearerTokensAreReadFromTheHeader() {
        assertTrue(Secrets.equal("abc", Secrets.bearerToken("Bearer abc")));
        assertTrue(Secrets.equal("abc", Secrets.bearerToken("bearer  abc ")));
        assertNull(Secrets.bearerToken("Basic abc"));
        assertNull(Secrets.bearerToken(null));
        assertFalse(Secrets.equal("abc", null));
    }
}
