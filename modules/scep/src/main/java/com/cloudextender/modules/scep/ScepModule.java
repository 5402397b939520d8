package com.cloudextender.modules.scep;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.ExtenderModule;
import com.cloudextender.api.ModuleContext;
import com.cloudextender.modules.scep.challenge.ChallengeAction;
import com.cloudextender.modules.scep.config.ProfileSettings;
import com.cloudextender.modules.scep.config.ScepConfig;
import com.cloudextender.modules.scep.diagnose.DiagnoseAction;
import com.cloudextender.modules.scep.profile.ProfileServices;
import com.cloudextender.modules.scep.profile.Profiles;
import com.cloudextender.modules.scep.renewal.ExpiringAction;
import com.cloudextender.modules.scep.renewal.IssuedCertificates;
import com.cloudextender.modules.scep.request.Enrolment;
import com.cloudextender.modules.scep.request.GenerateAndRequestAction;
import com.cloudextender.modules.scep.request.RenewAction;
import com.cloudextender.modules.scep.request.RequestCertificateAction;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCEP relay module: obtains user and device certificates from the customer's own CA, which the
 * cloud cannot reach, for Wi-Fi, VPN and e-mail profiles. See the module's README for the actions and
 * configuration keys. The CA is not contacted at start, so a CA that is down never blocks an upgrade;
 * the {@code diagnose} action checks it on demand.
 */
public final class ScepModule implements ExtenderModule {
    private static final Logger LOG = LoggerFactory.getLogger(ScepModule.class);

    private final Map<String, ProfileServices> open = new LinkedHashMap<>();
    private final Map<String, ActionHandler> actions = new LinkedHashMap<>();

    @Override
    public void start(ModuleContext context) throws Exception {
        ScepConfig config = ScepConfig.read(context.config());
        for (ProfileSettings p : config.profiles().values()) {
            if (p.subjectPattern().unbound()) {
                LOG.warn("profile {}: subjectPattern {} names no ${{user}} or ${{device}}: a request may name any subject"
                        + " the pattern allows, not only the command's user or device", p.name(), p.subjectPattern());
            }
            open.put(p.name(), ProfileServices.open(p, context.proxies()));
        }
        Profiles profiles = new Profiles(open);
        Enrolment enrolment = new Enrolment(new IssuedCertificates(context.state()), context.metrics());
        GenerateAndRequestAction generate = new GenerateAndRequestAction(profiles, enrolment);
        actions.put("challenge", new ChallengeAction(profiles));
        actions.put("requestCertificate", new RequestCertificateAction(profiles, enrolment));
        actions.put("generateAndRequest", generate);
        actions.put("expiring", new ExpiringAction(new IssuedCertificates(context.state()), Clock.systemUTC()));
        actions.put("renew", new RenewAction(profiles, enrolment, generate));
        actions.put("diagnose", new DiagnoseAction(profiles, Clock.systemUTC()));
        LOG.info("SCEP module started with {}", config.profiles().values());
    }

    @Override
    public Map<String, ActionHandler> actions() {
        return Map.copyOf(actions);
    }

    @Override
    public void stop() {
        for (ProfileServices p : open.values()) {
            try {
                p.close();
            } catch (IOException e) {
                LOG.warn("profile {}: closing its HTTP client failed: {}", p.settings().name(), e.toString());
            }
        }
        open.clear();
    }
}
