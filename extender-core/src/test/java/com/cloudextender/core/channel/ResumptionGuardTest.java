package com.cloudextender.core.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResumptionGuardTest {
    private static final long SOON = 60_000_000_000L;

    @Test
    void aResumedStreamThatFailsAgainTheSameWaySoonIsNotResumedAgain() {
        ResumptionGuard g = new ResumptionGuard(SOON);
        g.ended("IllegalArgumentException: Value must not be null", false, 5 * SOON);
        assertTrue(g.mayResume(), "a first failure resumes");
        g.ended("IllegalArgumentException: Value must not be null", true, 1_000_000);
        assertFalse(g.mayResume(), "the resumed stream failed the same way at once: start afresh");
        g.freshStreamStarted();
        assertTrue(g.mayResume(), "the fresh stream starts the count again");
    }

    @Test
    void otherCausesOrALongLifeStillResume() {
        ResumptionGuard g = new ResumptionGuard(SOON);
        g.ended("connection reset", false, SOON * 2);
        g.ended("keep-alive ping unanswered", true, 1_000);
        assertTrue(g.mayResume(), "a different cause is a new failure");
        g.ended("keep-alive ping unanswered", true, SOON * 2);
        assertTrue(g.mayResume(), "a resumed stream that served a while is not failing the same way");
        g.ended("keep-alive ping unanswered", false, 1_000);
        assertTrue(g.mayResume(), "a fresh stream that failed may be resumed");
    }

    @Test
    void aFailedAttemptToResumeCountsLikeAResumedStream() {
        ResumptionGuard g = new ResumptionGuard(SOON);
        g.ended("NoResponseException: resume previous stream", false, SOON * 2);
        g.ended("NoResponseException: resume previous stream", true, 0);
        assertFalse(g.mayResume());
    }
}
