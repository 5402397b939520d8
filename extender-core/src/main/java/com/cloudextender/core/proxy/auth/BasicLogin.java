package com.cloudextender.core.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** RFC 7617 Basic: the user and password, sent only after the proxy has asked for Basic. */
final class BasicLogin implements SchemeLogin {
    private final String user;
    private final String password;

    BasicLogin(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public String answer(Challenge challenge) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean continues(Challenge challenge) {
        return false;
    }

    @Override
    public boolean connectionBound() {
        return false;
    }

    @Override
    public String rejection() {
        return "Basic as " + user + ": the proxy rejected the user name or password (check proxy.username and "
                + "proxy.password)";
    }
}
