package com.cloudextender.modules.scep.diagnose;

import com.cloudextender.modules.scep.challenge.ChallengeException;
import com.cloudextender.modules.support.Json;
import com.cloudextender.modules.scep.config.ChallengeSettings;
import com.cloudextender.modules.scep.enrol.CaPinning;
import com.cloudextender.modules.scep.profile.ProfileServices;
import com.cloudextender.modules.support.http.HttpAnswer;
import com.cloudextender.modules.scep.transport.HttpStatusMeaning;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.jscep.transport.response.GetCaCertResponseHandler;

/**
 * One diagnosis of a profile's CA: is it reachable and with which HTTP status (NDES 500 and 503 named),
 * what GetCACaps offers, the CA and RA certificates with their roles and expiry (expired or within 30
 * days flagged) and whether the CA matches the pinned fingerprint, whether the CRL distribution points
 * of those certificates answer through the proxy, and whether the challenge page works. Each finding
 * that needs action is also listed, in words, under {@code problems}. Never includes a secret: the
 * challenge is fetched to prove the page works but not shown.
 */
public final class CaDiagnosis {
    private static final Duration SOON = Duration.ofDays(30);

    private final ProfileServices profile;
    private final Clock clock;
    private final ObjectNode report = Json.object();
    private final ArrayNode problems;

    public CaDiagnosis(ProfileServices profile, Clock clock) {
        this.profile = profile;
        this.clock = clock;
        report.put("profile", profile.settings().name());
        report.put("url", profile.settings().url().toString());
        problems = Json.MAPPER.createArrayNode();
    }

    /** Runs every check and returns the report. */
    public ObjectNode run() throws InterruptedException {
        if (capabilities()) {
            certificates();
        }
        challenge();
        report.set("problems", problems);
        report.put("ok", problems.isEmpty());
        return report;
    }

    private boolean capabilities() {
        ObjectNode ca = report.putObject("ca");
        HttpAnswer answer;
        try {
            answer = profile.http().send(new HttpGet(operation("GetCACaps")));
        } catch (IOException e) {
            ca.put("reachable", false);
            ca.put("error", e.toString());
            problems.add("the CA at " + profile.settings().url() + " cannot be reached (" + e.getMessage()
                    + "); check the URL, DNS, firewall and the proxy settings");
            return false;
        }
        ca.put("reachable", true);
        ca.put("httpStatus", answer.status());
        if (answer.status() != 200) {
            String meaning = HttpStatusMeaning.of(answer.status());
            ca.put("httpMeaning", meaning);
            problems.add("GetCACaps answered HTTP " + answer.status() + ": " + meaning);
            return false;
        }
        ArrayNode caps = ca.putArray("capabilities");
        Arrays.stream(new String(answer.body(), StandardCharsets.UTF_8).split("\\R")).map(String::trim)
                .filter(s -> !s.isEmpty()).forEach(caps::add);
        ca.put("renewal", caps.toString().contains("\"Renewal\""));
        if (caps.isEmpty()) {
            ca.put("note", "an empty GetCACaps answer means the server only offers the SCEP basics (GET, SHA-1, DES)");
        }
        return true;
    }

    private void certificates() throws InterruptedException {
        ArrayNode list = report.putArray("certificates");
        List<X509Certificate> certs;
        try {
            HttpAnswer answer = profile.http().send(new HttpGet(operation("GetCACert")));
            if (answer.status() != 200) {
                problems.add("GetCACert answered HTTP " + answer.status() + ": " + HttpStatusMeaning.of(answer.status()));
                return;
            }
            certs = new ArrayList<>();
            for (Certificate c : new GetCaCertResponseHandler().getResponse(answer.body(), answer.contentType())
                    .getCertificates(null)) {
                certs.add((X509Certificate) c);
            }
        } catch (Exception e) {
            problems.add("GetCACert did not return certificates (" + e.getMessage() + "); check the URL");
            return;
        }
        Instant now = clock.instant();
        boolean pinnedSeen = false;
        Set<URI> crls = new LinkedHashSet<>();
        for (X509Certificate c : certs) {
            ObjectNode o = list.addObject();
            String role = role(c, certs);
            o.put("role", role);
            o.put("subject", c.getSubjectX500Principal().getName(X500Principal.RFC2253));
            o.put("issuer", c.getIssuerX500Principal().getName(X500Principal.RFC2253));
            o.put("notAfter", c.getNotAfter().toInstant().toString());
            long days = Duration.between(now, c.getNotAfter().toInstant()).toDays();
            o.put("daysLeft", days);
            byte[] sha = CaPinning.sha256(c);
            o.put("sha256", HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha));
            boolean expired = c.getNotAfter().toInstant().isBefore(now);
            boolean soon = !expired && c.getNotAfter().toInstant().isBefore(now.plus(SOON));
            o.put("expired", expired);
            o.put("expiresSoon", soon);
            if (expired) {
                problems.add("the " + role + " certificate " + o.path("subject").asText() + " expired on "
                        + o.path("notAfter").asText() + "; renew it on the CA"
                        + (role.startsWith("RA") ? " (NDES: renew the RA certificates and restart IIS)" : ""));
            } else if (soon) {
                problems.add("the " + role + " certificate " + o.path("subject").asText() + " expires in " + days
                        + " days (" + o.path("notAfter").asText() + "); plan its renewal");
            }
            if (profile.settings().caFingerprint().map(f -> Arrays.equals(f, sha)).orElse(false)) {
                pinnedSeen = true;
            }
            crls.addAll(distributionPoints(c));
        }
        report.put("caPinned", profile.settings().caFingerprint().isPresent());
        if (profile.settings().caFingerprint().isPresent() && !pinnedSeen) {
            problems.add("no certificate from GetCACert has the configured caFingerprint; if the CA was renewed,"
                    + " update profile." + profile.settings().name() + ".caFingerprint");
        }
        crls(crls);
    }

    private void crls(Set<URI> crls) {
        ArrayNode list = report.putArray("crlDistributionPoints");
        for (URI uri : crls) {
            ObjectNode o = list.addObject();
            o.put("url", uri.toString());
            try {
                HttpAnswer a = profile.http().send(new HttpHead(uri));
                if (a.status() == 405 || a.status() == 501) {
                    a = profile.http().send(new HttpGet(uri)); // some servers refuse HEAD
                }
                o.put("httpStatus", a.status());
                o.put("reachable", a.status() == 200);
                if (a.status() != 200) {
                    problems.add("the CRL distribution point " + uri + " answered HTTP " + a.status()
                            + "; relying parties (RADIUS, VPN) that check revocation will refuse certificates");
                }
            } catch (IOException e) {
                o.put("reachable", false);
                o.put("error", e.toString());
                problems.add("the CRL distribution point " + uri + " cannot be reached (" + e.getMessage() + ")");
            }
        }
    }

    private void challenge() {
        ObjectNode o = report.putObject("challenge");
        ChallengeSettings c = profile.settings().challenge();
        o.put("kind", c instanceof ChallengeSettings.Ndes ? "ndes" : c instanceof ChallengeSettings.Static
                ? "static" : "none");
        if (!(c instanceof ChallengeSettings.Ndes n)) {
            return;
        }
        o.put("page", n.page().toString());
        try {
            profile.challenges().next();
            // Proves the page works; that one-time challenge is simply left to expire on NDES.
            o.put("working", true);
        } catch (ChallengeException e) {
            o.put("working", false);
            o.put("error", e.getMessage());
            problems.add("the challenge page: " + e.getMessage());
        }
    }

    private URI operation(String name) {
        return URI.create(profile.settings().url() + "?operation=" + name + "&message=");
    }

    private static String role(X509Certificate c, List<X509Certificate> all) {
        boolean selfIssued = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
        if (c.getBasicConstraints() >= 0 || selfIssued || all.size() == 1) {
            return "CA";
        }
        boolean[] ku = c.getKeyUsage();
        if (ku == null) {
            return "RA";
        }
        boolean signs = ku[0];
        boolean encrypts = ku[2] || ku[3];
        return signs && encrypts ? "RA" : signs ? "RA signing" : encrypts ? "RA encryption" : "RA";
    }

    private static List<URI> distributionPoints(X509Certificate c) {
        List<URI> out = new ArrayList<>();
        try {
            var ext = new JcaX509CertificateHolder(c).getExtensions();
            CRLDistPoint dp = ext == null ? null : CRLDistPoint.fromExtensions(ext);
            if (dp == null) {
                return out;
            }
            for (DistributionPoint p : dp.getDistributionPoints()) {
                DistributionPointName name = p.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        String u = g.getName().toString();
                        if (u.startsWith("http://") || u.startsWith("https://")) {
                            out.add(URI.create(u));
                        }
                    }
                }
            }
        } catch (Exception e) {
            // An unreadable extension is not this report's concern; the CA certificate still works for SCEP.
        }
        return out;
    }

}
