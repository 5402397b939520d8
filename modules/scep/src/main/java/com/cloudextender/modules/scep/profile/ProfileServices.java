package com.cloudextender.modules.scep.profile;

import com.cloudextender.api.OutboundProxies;
import com.cloudextender.modules.scep.challenge.ChallengeSource;
import com.cloudextender.modules.scep.config.ProfileSettings;
import com.cloudextender.modules.scep.enrol.ScepEnroller;
import com.cloudextender.modules.support.http.ModuleHttp;
import java.io.IOException;

/**
 * What one profile needs at run time: its settings, its HTTP client, its challenge source and its
 * enroller. Opened at module start, closed at stop. Thread-safe.
 *
 * @param settings   the profile's configuration
 * @param http       its HTTP client (proxy decision and TLS trust applied)
 * @param challenges its challenge source
 * @param enroller   its SCEP enroller
 */
public record ProfileServices(ProfileSettings settings, ModuleHttp http, ChallengeSource challenges,
                              ScepEnroller enroller) implements AutoCloseable {

    /** Opens the services of {@code settings}. */
    public static ProfileServices open(ProfileSettings settings, OutboundProxies proxies) throws IOException {
        ModuleHttp http = ModuleHttp.open(proxies, settings.trustStore(), ModuleHttp.Options.defaults());
        return new ProfileServices(settings, http, new ChallengeSource(settings.challenge(), http),
                new ScepEnroller(settings, http));
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
