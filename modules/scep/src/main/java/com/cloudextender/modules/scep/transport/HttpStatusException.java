package com.cloudextender.modules.scep.transport;

import java.io.IOException;
import java.net.URI;

/** A SCEP or challenge server answered with an HTTP status other than 200. */
public final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** The answer {@code status} ({@code reason}) from {@code uri}, whose query is left out of the message. */
    public HttpStatusException(URI uri, int status, String reason) {
        super("HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason) + " from "
                + withoutQuery(uri) + ": " + HttpStatusMeaning.of(status));
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    private static String withoutQuery(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }
}
