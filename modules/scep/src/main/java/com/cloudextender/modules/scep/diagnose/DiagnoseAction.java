package com.cloudextender.modules.scep.diagnose;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandResult;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.scep.profile.Profiles;
import java.time.Clock;

/**
 * {@code diagnose {"profile"}}: a report a CA administrator can act on (see {@link CaDiagnosis}). It
 * always succeeds when the profile exists; what is wrong is in the report's {@code problems}.
 */
public final class DiagnoseAction implements ActionHandler {
    private final Profiles profiles;
    private final Clock clock;

    public DiagnoseAction(Profiles profiles, Clock clock) {
        this.profiles = profiles;
        this.clock = clock;
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        Arguments args = Arguments.parse(command.arguments());
        return CommandResult.ok(Json.text(new CaDiagnosis(profiles.get(args.requireText("profile")), clock).run()));
    }
}
