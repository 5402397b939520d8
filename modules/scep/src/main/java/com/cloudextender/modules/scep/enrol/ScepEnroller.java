package com.cloudextender.modules.scep.enrol;

import com.cloudextender.api.CommandException;
import com.cloudextender.api.ErrorCode;
import com.cloudextender.modules.scep.config.ProfileSettings;
import com.cloudextender.modules.scep.keys.TransientIdentity;
import com.cloudextender.modules.scep.transport.HttpClientTransportFactory;
import com.cloudextender.modules.support.http.ModuleHttp;
import java.net.MalformedURLException;
import java.security.GeneralSecurityException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.jscep.client.Client;
import org.jscep.client.ClientException;
import org.jscep.client.EnrollmentResponse;
import org.jscep.transaction.TransactionException;
import org.jscep.transport.TransportException;
import org.jscep.transport.response.ContentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SCEP enrolment for a profile with jSCEP: GetCACaps and GetCACert (CA pinned when configured;
 * jSCEP picks the RA signing and encryption certificates of an RA chain separately), PKCSReq signed by a
 * {@link TransientIdentity}, then GetCertInitial polls while the CA answers PENDING, until the profile's
 * pollTimeout. Every failure becomes a {@link ErrorCode#MODULE_FAILURE} whose message says what to do.
 * Thread-safe.
 */
public final class ScepEnroller {
    private static final Logger LOG = LoggerFactory.getLogger(ScepEnroller.class);

    private final ProfileSettings profile;
    private final HttpClientTransportFactory transports;

    /** Enrolments for {@code profile} over {@code http}. */
    public ScepEnroller(ProfileSettings profile, ModuleHttp http) {
        this.profile = profile;
        this.transports = new HttpClientTransportFactory(http);
    }

    /** Enrols {@code csr} (already checked, challenge inside when the profile has one) and returns the result. */
    public Issued enrol(PKCS10CertificationRequest csr) throws CommandException, InterruptedException {
        X500Principal subject;
        TransientIdentity identity;
        try {
            subject = new X500Principal(csr.getSubject().getEncoded());
            identity = TransientIdentity.create(subject);
        } catch (Exception e) {
            throw failure("cannot prepare the SCEP identity: " + e.getMessage(), e);
        }
        CaPinning pinning = new CaPinning(profile.caFingerprint());
        Client client = client(pinning);
        try {
            // Fails early and clearly when the CA is unreachable or not the pinned one; its CA certificates
            // complete the chain when the answer carries only the issued certificate.
            CertStore caCerts = client.getCaCertificate();
            EnrollmentResponse response = client.enrol(identity.certificate(), identity.key(), csr);
            Instant deadline = Instant.now().plus(profile.pollTimeout());
            while (response.isPending()) {
                if (Instant.now().plus(profile.pollInterval()).isAfter(deadline)) {
                    throw new CommandException(ErrorCode.MODULE_FAILURE, "profile " + profile.name()
                            + ": the CA still holds the request as PENDING after pollTimeout " + profile.pollTimeout()
                            + " (transaction " + response.getTransactionId() + "); an administrator must approve it"
                            + " on the CA, then send the request again, or raise pollTimeout");
                }
                LOG.debug("profile {}: request pending, polling again in {}", profile.name(), profile.pollInterval());
                Thread.sleep(profile.pollInterval().toMillis());
                response = client.poll(identity.certificate(), identity.key(), subject, response.getTransactionId());
            }
            if (response.isFailure()) {
                throw new CommandException(ErrorCode.MODULE_FAILURE, "profile " + profile.name()
                        + ": the CA refused the request with failInfo " + FailInfoMeaning.of(response.getFailInfo()));
            }
            return issued(response.getCertStore(), caCerts, csr);
        } catch (ClientException | TransactionException e) {
            throw failure(describe(e, pinning), e);
        }
    }

    /** A jSCEP client for the profile's URL over the module's transport. */
    Client client(CaPinning pinning) throws CommandException {
        try {
            Client client = new Client(profile.url().toURL(), pinning);
            client.setTransportFactory(transports);
            return client;
        } catch (MalformedURLException e) {
            throw failure("profile." + profile.name() + ".url is not usable: " + e.getMessage(), e);
        }
    }

    private String describe(Exception e, CaPinning pinning) {
        String prefix = "profile " + profile.name() + ": ";
        if (e instanceof ClientException && String.valueOf(e.getMessage()).contains("fingerprint")) {
            return prefix + "the CA certificate served by " + profile.url() + " has SHA-256 fingerprint "
                    + pinning.seen().orElse("(unknown)") + ", not the configured profile." + profile.name()
                    + ".caFingerprint; if the CA was renewed, update caFingerprint, otherwise something is"
                    + " impersonating the CA";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ContentException) {
                return prefix + "the server at " + profile.url() + " did not answer as a SCEP server ("
                        + t.getMessage() + "); check the URL";
            }
            if (t instanceof TransportException) {
                return prefix + t.getMessage();
            }
        }
        return prefix + "the SCEP exchange failed: " + e.getMessage();
    }

    private Issued issued(CertStore store, CertStore caCerts, PKCS10CertificationRequest csr) throws CommandException {
        try {
            var requestedKey = new JcaPKCS10CertificationRequest(csr).getPublicKey();
            X509Certificate mine = null;
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : store.getCertificates(null)) {
                X509Certificate x = (X509Certificate) c;
                if (mine == null && Arrays.equals(x.getPublicKey().getEncoded(), requestedKey.getEncoded())) {
                    mine = x;
                } else {
                    chain.add(x);
                }
            }
            if (mine == null) {
                throw failure("profile " + profile.name() + ": the CA's answer holds no certificate for the"
                        + " requested key", null);
            }
            List<X509Certificate> authenticCas = new ArrayList<>();
            for (Certificate c : caCerts.getCertificates(null)) {
                X509Certificate x = (X509Certificate) c;
                if (x.getBasicConstraints() >= 0) {
                    authenticCas.add(x); // CA certificates only: RA certificates are not part of the issuing chain
                    if (!chain.contains(x)) {
                        chain.add(x);
                    }
                }
            }
            try {
                IssuedCertificateCheck.check(mine, csr, authenticCas, profile.caFingerprint());
            } catch (IssuedCertificateRejected e) {
                LOG.warn("profile {}: refused the certificate {} the CA returned ({}): {}", profile.name(),
                        mine.getSerialNumber().toString(16), e.reason(), e.getMessage());
                throw failure("profile " + profile.name() + ": the CA's answer was refused and is not returned: "
                        + e.getMessage() + "; check the CA's certificate template (it must issue what is requested)"
                        + " and that " + profile.url() + " is the CA configured for this profile", e);
            }
            LOG.info("profile {}: certificate {} issued for {}, valid until {}", profile.name(),
                    mine.getSerialNumber().toString(16), mine.getSubjectX500Principal().getName(), mine.getNotAfter());
            return new Issued(mine, chain);
        } catch (GeneralSecurityException e) {
            throw failure("cannot read the CA's answer: " + e.getMessage(), e);
        }
    }

    private CommandException failure(String message, Throwable cause) {
        return new CommandException(ErrorCode.MODULE_FAILURE, message, cause);
    }
}
