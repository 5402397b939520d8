package com.cloudextender.modules.scep.challenge;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.scep.config.ChallengeSettings;
import com.cloudextender.modules.scep.profile.ProfileServices;
import com.cloudextender.modules.scep.profile.Profiles;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code challenge {"profile"}} → {@code {"challenge","kind":"static"|"ndes","expiresInSeconds"?}}: the
 * challenge a device puts in its own request, as MDM SCEP relays work. The cloud asks for it, hands it to
 * the device, and the device's request then comes back through {@code requestCertificate}. For an NDES
 * profile each call fetches a fresh one-time challenge, valid for the profile's {@code challengeValidity};
 * a static challenge does not expire. The challenge is never logged.
 */
public final class ChallengeAction implements ActionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ChallengeAction.class);

    private final Profiles profiles;

    public ChallengeAction(Profiles profiles) {
        this.profiles = profiles;
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        Arguments args = Arguments.parse(command.arguments());
        ProfileServices profile = profiles.get(args.requireText("profile"));
        ChallengeSettings settings = profile.settings().challenge();
        if (settings instanceof ChallengeSettings.None) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "profile: " + profile.settings().name()
                    + " has no challenge (neither challenge nor challengeUrl is configured); send the device's"
                    + " request without one to requestCertificate");
        }
        String challenge;
        try {
            challenge = profile.challenges().next().orElseThrow();
        } catch (ChallengeException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, "profile " + profile.settings().name() + ": "
                    + e.getMessage(), e);
        }
        ObjectNode result = Json.object().put("challenge", challenge);
        if (settings instanceof ChallengeSettings.Ndes ndes) {
            result.put("kind", "ndes").put("expiresInSeconds", ndes.validity().toSeconds());
        } else {
            result.put("kind", "static");
        }
        // Who asked is in the extender's command log; the value itself never appears in any log.
        LOG.info("profile {}: handed out a {} challenge", profile.settings().name(), result.path("kind").asText());
        return CommandResult.ok(Json.text(result));
    }
}
