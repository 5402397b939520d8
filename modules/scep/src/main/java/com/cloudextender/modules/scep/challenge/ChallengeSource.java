package com.cloudextender.modules.scep.challenge;

import com.cloudextender.modules.scep.config.ChallengeSettings;
import com.cloudextender.modules.support.http.HttpAnswer;
import com.cloudextender.modules.scep.transport.HttpStatusException;
import com.cloudextender.modules.support.http.ModuleHttp;
import java.io.IOException;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpGet;

/**
 * Gives the challenge password for one request of a profile: none, the static one, or a fresh
 * one-time challenge from the NDES page. The value is a secret: callers put it in the CSR and nowhere
 * else. Thread-safe.
 */
public final class ChallengeSource {
    private final ChallengeSettings settings;
    private final ModuleHttp http;

    /** Challenges as {@code settings} say, fetched over {@code http} when they come from NDES. */
    public ChallengeSource(ChallengeSettings settings, ModuleHttp http) {
        this.settings = settings;
        this.http = http;
        if (settings instanceof ChallengeSettings.Ndes n) {
            http.authenticate(n.page(), n.user(), n.password().toCharArray());
        }
    }

    /** True when the profile uses a challenge at all. */
    public boolean configured() {
        return !(settings instanceof ChallengeSettings.None);
    }

    /** The challenge for the next request; empty when the profile has none. */
    public Optional<String> next() throws ChallengeException {
        if (settings instanceof ChallengeSettings.Static s) {
            return Optional.of(s.value());
        }
        if (settings instanceof ChallengeSettings.Ndes n) {
            HttpAnswer answer;
            try {
                answer = http.send(new HttpGet(n.page()));
            } catch (IOException e) {
                throw new ChallengeException("cannot reach the challenge page " + n.page() + ": " + e.getMessage()
                        + "; check challengeUrl and that the extender may connect to it", e);
            }
            if (answer.status() == 401) {
                throw new ChallengeException("the challenge page " + n.page() + " refused the account "
                        + n.user() + " (HTTP 401); check challengeUser and challengePassword");
            }
            if (answer.status() != 200) {
                throw new ChallengeException("the challenge page: "
                        + new HttpStatusException(n.page(), answer.status(), answer.reason()).getMessage());
            }
            return Optional.of(NdesChallengePage.parse(answer.body()));
        }
        return Optional.empty();
    }
}
