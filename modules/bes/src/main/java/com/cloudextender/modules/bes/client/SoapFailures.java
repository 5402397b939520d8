package com.cloudextender.modules.bes.client;

import jakarta.xml.ws.soap.SOAPFaultException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.transport.http.HTTPException;

/** Turns what CXF throws into a {@link BesException} that says what went wrong with which call. */
final class SoapFailures {
    private SoapFailures() {
    }

    static BesException classify(String operation, URI endpoint, RuntimeException e) {
        if (e instanceof SOAPFaultException f) {
            String code = f.getFault() == null ? "?" : f.getFault().getFaultCode();
            String text = f.getFault() == null ? f.getMessage() : f.getFault().getFaultString();
            return new BesException("SOAP_FAULT", operation + ": the BAS answered with a SOAP fault (" + code + "): "
                    + text, e);
        }
        String what = operation + " at " + endpoint;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SoapFault f) {
                return new BesException("SOAP_FAULT", operation + ": the BAS answered with a SOAP fault ("
                        + (f.getFaultCode() == null ? "?" : f.getFaultCode().getLocalPart()) + "): " + f.getMessage(), e);
            }
            if (c instanceof HTTPException h) {
                int status = h.getResponseCode();
                if (status == 401 || status == 403) {
                    return new BesException("AUTHENTICATION", what + ": the BAS refused the credentials (HTTP " + status
                            + "); check username, password, authenticator and the account's BWS role", e);
                }
                return new BesException("HTTP_ERROR", what + ": HTTP " + status + " " + h.getResponseMessage(), e);
            }
            if (c instanceof HttpConnectTimeoutException || c instanceof ConnectException
                    || c instanceof UnknownHostException) {
                return new BesException("UNREACHABLE", what + ": cannot connect: " + c.getMessage(), e);
            }
            if (c instanceof SocketTimeoutException || c instanceof HttpTimeoutException) {
                return new BesException("TIMEOUT", what + ": no answer within the time limit", e);
            }
            if (c instanceof SSLException) {
                return new BesException("TLS", what + ": TLS failed (is the BAS certificate's CA in trustStore?): "
                        + c.getMessage(), e);
            }
        }
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("text/html") || lower.contains("unexpected element") || lower.contains("unexpected wrapper")
                || lower.contains("content type") || lower.contains("contenttype")) {
            return new BesException("NOT_SOAP", what + ": the answer is not a BWS SOAP message: " + firstLine(message), e);
        }
        return new BesException("FAILED", what + ": " + firstLine(message), e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
