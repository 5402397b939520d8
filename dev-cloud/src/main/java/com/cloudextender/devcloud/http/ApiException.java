package com.cloudextender.devcloud.http;

/**
 * A request the API refuses: the status code and a message for the client, sent as
 * {@code {"error":"message"}}. The message must name what was wrong and must never contain a secret.
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException methodNotAllowed(String method, String path) {
        return new ApiException(405, "method " + method + " is not allowed on " + path);
    }
}
