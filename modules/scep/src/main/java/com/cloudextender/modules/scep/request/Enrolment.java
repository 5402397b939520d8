package com.cloudextender.modules.scep.request;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.api.ModuleMetrics;
import com.cloudextender.modules.scep.challenge.ChallengeException;
import com.cloudextender.modules.scep.csr.CsrPolicy;
import com.cloudextender.modules.scep.csr.NamedIdentity;
import com.cloudextender.modules.scep.enrol.Issued;
import com.cloudextender.modules.scep.profile.ProfileServices;
import com.cloudextender.modules.scep.renewal.IssuedCertificates;
import com.cloudextender.modules.scep.renewal.IssuedRecord;
import java.time.Duration;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The steps every action that obtains a certificate shares: check the request against the profile,
 * enrol it, record the certificate for renewal tracking, count it. Thread-safe.
 */
public final class Enrolment {
    private final IssuedCertificates issued;
    private final ModuleMetrics metrics;

    public Enrolment(IssuedCertificates issued, ModuleMetrics metrics) {
        this.issued = issued;
        this.metrics = metrics;
    }

    /**
     * Refuses {@code csr} with {@link ErrorCode#INVALID_ARGUMENTS} when the profile does not allow it for the
     * user and device the command {@code named}.
     */
    public static CsrPolicy.Checked check(PKCS10CertificationRequest csr, ProfileServices profile, NamedIdentity named,
                                          String field) throws CommandException {
        try {
            return CsrPolicy.check(csr, profile.settings(), named);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENTS, field + ": " + e.getMessage());
        }
    }

    /** A fresh challenge of the profile, or a {@link ErrorCode#MODULE_FAILURE} saying why none could be had. */
    public static Optional<String> challenge(ProfileServices profile) throws CommandException {
        try {
            return profile.challenges().next();
        } catch (ChallengeException e) {
            throw new CommandException(ErrorCode.MODULE_FAILURE, "profile " + profile.settings().name() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Enrols {@code csr}, already checked, and records the result; {@code replaces} names the serial of a
     * certificate this one renews.
     */
    public Issued enrol(ProfileServices profile, PKCS10CertificationRequest csr, Optional<String> device,
                        Optional<String> user, Optional<String> replaces) throws CommandException, InterruptedException {
        long start = System.nanoTime();
        Issued result;
        try {
            result = profile.enroller().enrol(csr);
        } catch (CommandException e) {
            metrics.count("enrolmentFailures", 1);
            throw e;
        }
        metrics.count("certificatesIssued", 1);
        metrics.time("enrolment", Duration.ofNanos(System.nanoTime() - start));
        var c = result.certificate();
        IssuedRecord record = new IssuedRecord(profile.settings().name(), CertificateJson.serial(c),
                c.getSubjectX500Principal().getName(X500Principal.RFC2253),
                c.getIssuerX500Principal().getName(X500Principal.RFC2253), c.getNotAfter().toInstant(), device, user,
                Optional.empty());
        if (replaces.isPresent()) {
            issued.recordRenewal(profile.settings().name(), replaces.get(), record);
        } else {
            issued.record(record);
        }
        return result;
    }
}
