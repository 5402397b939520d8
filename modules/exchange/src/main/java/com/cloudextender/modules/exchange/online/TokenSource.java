package com.cloudextender.modules.exchange.online;

import com.cloudextender.modules.support.http.ModuleHttp;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App-only access tokens for the admin API through msal4j's client-credentials flow with a certificate
 * (a signed client assertion, no secret on the wire). The token is kept and reused until
 * {@code refreshBefore} its expiry, then a new one is fetched; {@link #token(boolean)} with
 * {@code true} fetches a new one at once (after a 401). Thread-safe. Never logs a token.
 */
public final class TokenSource {
    private static final Logger LOG = LoggerFactory.getLogger(TokenSource.class);

    private final ConfidentialClientApplication app;
    private final AppCertificate certificate;
    private final Set<String> scopes;
    private final Duration refreshBefore;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.EPOCH;
    private long fetched;

    /**
     * @param authority the tenant's authority, for example {@code https://login.microsoftonline.com/contoso.onmicrosoft.com/}
     * @param scope     for example {@code https://outlook.office365.com/.default}
     */
    public TokenSource(String authority, String clientId, AppCertificate certificate, String scope, ModuleHttp http,
                       Duration refreshBefore, Clock clock) throws ExchangeException {
        this.certificate = certificate;
        this.scopes = Set.of(scope);
        this.refreshBefore = refreshBefore;
        this.clock = clock;
        try {
            this.app = ConfidentialClientApplication
                    .builder(clientId, ClientCredentialFactory.createFromCertificate(certificate.key(), certificate.certificate()))
                    .authority(authority)
                    // The authority is configured (sovereign clouds, tests): no look-up of known hosts.
                    .instanceDiscovery(false)
                    .validateAuthority(false)
                    .httpClient(new MsalHttp(http))
                    .logPii(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ExchangeException(Reason.INVALID_PARAMETER, "online.authority: '" + authority
                    + "' is not an authority URL such as https://login.microsoftonline.com/<tenant>/: " + e.getMessage(), e);
        }
    }

    /** A valid access token; a new one when {@code renew} or when the kept one is near its expiry. */
    public synchronized String token(boolean renew) throws ExchangeException, InterruptedException {
        Instant now = clock.instant();
        if (!renew && token != null && now.isBefore(expires.minus(refreshBefore))) {
            return token;
        }
        certificate.checkValid(now);
        ClientCredentialParameters params = ClientCredentialParameters.builder(scopes).skipCache(true).build();
        try {
            IAuthenticationResult r = app.acquireToken(params).get(60, TimeUnit.SECONDS);
            token = r.accessToken();
            expires = r.expiresOnDate().toInstant();
            fetched++;
            LOG.debug("Exchange Online: new access token, valid until {}", expires);
            return token;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof MsalServiceException s) {
                throw new ExchangeException(Reason.AUTHENTICATION, "the token endpoint refused app-only sign-in ("
                        + s.errorCode() + ", HTTP " + s.statusCode() + "): " + firstLine(s.getMessage())
                        + "; check online.tenant, online.clientId and that the certificate is registered with the application", s);
            }
            throw new ExchangeException(Reason.UNREACHABLE, "cannot get an access token from the token endpoint: "
                    + (c == null ? e : c).getMessage(), c == null ? e : c);
        } catch (TimeoutException e) {
            throw new ExchangeException(Reason.TIMEOUT, "the token endpoint did not answer within 60 s", e);
        }
    }

    /** How many tokens were fetched (not served from memory). */
    public synchronized long fetched() {
        return fetched;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
