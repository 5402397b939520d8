package com.cloudextender.modules.scep.challenge;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any page an NDES server (or whatever answers at challengeUrl) could return: the parser gives a challenge
 * of 8 to 64 letters and digits or a {@link ChallengeException} with a message, nothing else, in time linear
 * enough for a page of any size (the pattern is applied to text the server controls).
 */
class NdesChallengePageFuzzTest {
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void challengeOrTypedError(byte[] page) {
        try {
            String challenge = NdesChallengePage.parse(page);
            assertTrue(challenge.matches("[A-Za-z0-9]{8,64}"), "challenge " + challenge);
        } catch (ChallengeException e) {
            assertNotNull(e.getMessage());
        }
    }
}
