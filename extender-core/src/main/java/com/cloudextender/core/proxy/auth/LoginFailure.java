package com.cloudextender.core.proxy.auth;

/** One scheme could not log in; the message says why and what to change, and holds no secret. */
final class LoginFailure extends Exception {
    private static final long serialVersionUID = 1L;

    LoginFailure(String message) {
        super(message);
    }

    LoginFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
