package com.cloudextender.modules.scep.request;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.scep.csr.CsrCodec;
import com.cloudextender.modules.scep.csr.CsrPolicy;
import com.cloudextender.modules.scep.csr.NamedIdentity;
import com.cloudextender.modules.scep.profile.ProfileServices;
import com.cloudextender.modules.scep.profile.Profiles;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * {@code requestCertificate {"profile","csr","user","device","userEmail","userUpn","deviceDnsName","deviceUri"}}:
 * relays a request whose key the cloud or
 * device holds. The request is checked before the CA is contacted. A PKCS#10 signature covers the
 * challengePassword attribute, so the extender cannot add the profile's challenge to such a request:
 * for a profile with a challenge the request must already carry one, which the cloud gets for the device
 * with the {@code challenge} action.
 */
public final class RequestCertificateAction implements ActionHandler {
    private final Profiles profiles;
    private final Enrolment enrolment;

    public RequestCertificateAction(Profiles profiles, Enrolment enrolment) {
        this.profiles = profiles;
        this.enrolment = enrolment;
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        Arguments args = Arguments.parse(command.arguments());
        ProfileServices profile = profiles.get(args.requireText("profile"));
        PKCS10CertificationRequest csr = parse(args.requireText("csr"));
        NamedIdentity named = NamedIdentity.of(args);
        Enrolment.check(csr, profile, named, "csr");
        if (profile.challenges().configured() && !CsrPolicy.hasChallenge(csr)) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "csr: carries no challengePassword, but profile "
                    + profile.settings().name() + " needs one and the extender cannot add it to a request signed by"
                    + " another key; get one with the challenge action and have the device put it in its request,"
                    + " or use generateAndRequest");
        }
        var issued = enrolment.enrol(profile, csr, named.device(), named.user(), Optional.empty());
        return CommandResult.ok(Json.text(CertificateJson.of(issued)));
    }

    /** {@code text} as a PKCS#10 request, or {@link ErrorCode#INVALID_ARGUMENTS} naming the field. */
    static PKCS10CertificationRequest parse(String text) throws CommandException {
        try {
            return CsrCodec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "csr: " + e.getMessage());
        }
    }
}
