package com.cloudextender.modules.scep.config;

import java.net.URI;
import java.time.Duration;

/** How a profile obtains the SCEP challenge password. Implementations never print a secret. */
public sealed interface ChallengeSettings {
    /** No challenge: the CA approves requests itself (or leaves them pending for an administrator). */
    record None() implements ChallengeSettings {
    }

    /**
     * The same challenge for every request.
     *
     * @param value the challenge (a secret)
     */
    record Static(String value) implements ChallengeSettings {
        @Override
        public String toString() {
            return "static challenge";
        }
    }

    /**
     * A fresh one-time challenge per request from NDES's {@code mscep_admin} page.
     *
     * @param page     the page's URL, for example {@code https://ndes.corp/certsrv/mscep_admin/}
     * @param user     the account allowed to read the page
     * @param password that account's password (a secret)
     * @param validity  how long NDES keeps a challenge it handed out (its {@code PasswordValidity}); the page
     *                  does not say, so it is configured
     */
    record Ndes(URI page, String user, String password, Duration validity) implements ChallengeSettings {
        /** NDES's default {@code PasswordValidity}: 60 minutes. */
        public static final Duration DEFAULT_VALIDITY = Duration.ofMinutes(60);

        @Override
        public String toString() {
            return "one-time challenge from " + page + " as " + user;
        }
    }
}
