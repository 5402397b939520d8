package com.cloudextender.modules.scep.transport;

/** What an HTTP status from a SCEP server usually means, in words a CA administrator can act on. */
public final class HttpStatusMeaning {
    private HttpStatusMeaning() {
    }

    /** A sentence explaining {@code status}, for example the usual NDES causes of 500 and 503. */
    public static String of(int status) {
        return switch (status) {
            case 401, 403 -> "the SCEP URL needs authentication or refuses this client; check the IIS"
                    + " authentication settings of the SCEP application";
            case 404 -> "no SCEP service at this path; check the URL (NDES: /certsrv/mscep/mscep.dll)";
            case 500 -> "the SCEP server failed internally; on NDES this usually means its RA certificates are"
                    + " expired or missing, or the service account cannot reach the CA (see the NDES event log)";
            case 503 -> "the SCEP service is unavailable; on NDES this usually means the SCEP application pool"
                    + " is stopped (often after its service account password changed)";
            case 502, 504 -> "a gateway or proxy in front of the SCEP server could not reach it";
            default -> "unexpected for SCEP; check the URL and the server's logs";
        };
    }
}
