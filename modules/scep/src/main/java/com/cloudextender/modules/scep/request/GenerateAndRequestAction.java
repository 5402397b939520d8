package com.cloudextender.modules.scep.request;

import com.cloudextender.api.ActionHandler;
import com.cloudextender.api.Command;
import com.cloudextender.api.CommandException;
import com.cloudextender.api.CommandResult;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.support.Arguments;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.scep.csr.NamedIdentity;
import com.cloudextender.modules.scep.csr.SubjectAltName;
import com.cloudextender.modules.scep.enrol.Issued;
import com.cloudextender.modules.scep.keys.CsrBuilder;
import com.cloudextender.modules.scep.keys.KeyPairs;
import com.cloudextender.modules.scep.keys.Pkcs12Writer;
import com.cloudextender.modules.scep.profile.ProfileServices;
import com.cloudextender.modules.scep.profile.Profiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * {@code generateAndRequest {"profile","subject","sans":[…],"p12Password","user","device",…}}: the extender
 * generates the key pair (the profile's algorithm and size), builds the request with the profile's
 * challenge, enrols it and returns the key and certificate as a password-protected PKCS#12. The key
 * exists only in memory for the length of the command; the password is never logged or echoed.
 * Also used by {@code renew} for certificates whose key the extender generated.
 */
public final class GenerateAndRequestAction implements ActionHandler {
    private static final int MIN_PASSWORD = 8;

    private final Profiles profiles;
    private final Enrolment enrolment;

    public GenerateAndRequestAction(Profiles profiles, Enrolment enrolment) {
        this.profiles = profiles;
        this.enrolment = enrolment;
    }

    @Override
    public CommandResult execute(Command command) throws Exception {
        Arguments args = Arguments.parse(command.arguments());
        ProfileServices profile = profiles.get(args.requireText("profile"));
        X500Principal subject = subject(args.requireText("subject"));
        List<SubjectAltName> sans = sans(args.texts("sans"));
        char[] password = password(args);
        return CommandResult.ok(Json.text(generateAndEnrol(profile, subject, sans, password, NamedIdentity.of(args),
                Optional.empty())));
    }

    /** Generates, enrols, records and packs; {@code replaces} names a renewed certificate's serial. */
    ObjectNode generateAndEnrol(ProfileServices profile, X500Principal subject, List<SubjectAltName> sans, char[] password,
            NamedIdentity named, Optional<String> replaces) throws Exception {
        try {
            KeyPair keys = KeyPairs.generate(profile.settings().keys());
            // Checked without the challenge first, so that a refused request never uses up an NDES one-time challenge.
            PKCS10CertificationRequest unsent = CsrBuilder.build(keys, profile.settings().keys().csrSignatureAlgorithm(),
                    subject, sans, Optional.empty());
            Enrolment.check(unsent, profile, named, "subject/sans");
            PKCS10CertificationRequest csr = CsrBuilder.build(keys, profile.settings().keys().csrSignatureAlgorithm(),
                    subject, sans, Enrolment.challenge(profile));
            Issued issued = enrolment.enrol(profile, csr, named.device(), named.user(), replaces);
            byte[] p12 = Pkcs12Writer.write(keys.getPrivate(), issued.certificate(), issued.chain(), password);
            var result = CertificateJson.of(issued);
            result.put("pkcs12", Base64.getEncoder().encodeToString(p12));
            return result;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static char[] password(Arguments args) throws CommandException {
        String p = args.requireText("p12Password");
        if (p.length() < MIN_PASSWORD) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "p12Password: shorter than " + MIN_PASSWORD
                    + " characters; send a longer password");
        }
        return p.toCharArray();
    }

    static X500Principal subject(String text) throws CommandException {
        try {
            return new X500Principal(text);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "subject: '" + text
                    + "' is not a distinguished name; write for example CN=alice,O=Example");
        }
    }

    static List<SubjectAltName> sans(List<String> texts) throws CommandException {
        List<SubjectAltName> out = new ArrayList<>();
        for (String t : texts) {
            try {
                out.add(SubjectAltName.parse(t));
            } catch (IllegalArgumentException e) {
                throw new CommandException(ErrorCode.INVALID_ARGUMENTS, "sans: " + e.getMessage());
            }
        }
        return out;
    }
}
