package com.cloudextender.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * An intranet site with a connection-bound, NTLM-style three-leg handshake: {@code Authorization: NTLM
 * <type 1>} gets a 401 with a challenge; {@code NTLM <type 3>} gets 200 only on the same TCP connection
 * that got the challenge; after that the connection itself is authenticated (later requests on it need
 * no header, as with IIS). Anything else gets 401 {@code WWW-Authenticate: NTLM}. The tokens are
 * stand-ins: what is tested is the connection binding, not NTLM's cryptography.
 *
 * <p>{@code /race} stands for a keep-alive timeout that strikes just as a kept connection is used
 * again: the first request on a connection gets 200, the second one finds the connection closed
 * without an answer.
 */
final class NtlmStyleServer extends LoopbackServer {
    static final String TYPE1 = "TlRMTVNTUAABAAAAB4IIog==";
    static final String CHALLENGE = "TlRMTVNTUAACAAAADAAMADAAAAA1goniY2hhbGxlbmdl";
    static final String TYPE3 = "TlRMTVNTUAADAAAAGAAYAEAAAAAYABgAWAAAAA==";

    NtlmStyleServer() throws IOException {
    }

    @Override
    void serve(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        boolean challenged = false;
        boolean authenticated = false;
        int raceRequests = 0;
        for (Head h; (h = readHead(in)) != null;) {
            skipBody(in, h);
            if (h.target().equals("/race")) {
                if (++raceRequests > 1) {
                    return; // closed without an answer
                }
                respond(out, 200, "OK", "first on this connection\n");
                continue;
            }
            String auth = h.header("authorization");
            if (("NTLM " + TYPE1).equals(auth)) {
                challenged = true;
                authenticated = false;
                respond(out, 401, "Unauthorized", "", "WWW-Authenticate: NTLM " + CHALLENGE);
            } else if (("NTLM " + TYPE3).equals(auth) && challenged) {
                challenged = false;
                authenticated = true;
                respond(out, 200, "OK", "welcome, authenticated connection\n");
            } else if (auth == null && authenticated) {
                respond(out, 200, "OK", "still authenticated: " + h.target() + "\n");
            } else {
                challenged = false;
                respond(out, 401, "Unauthorized", "", "WWW-Authenticate: NTLM");
            }
        }
    }
}
