package com.cloudextender.core.proxy.auth;

import java.io.IOException;
import java.util.Optional;

/**
 * One request to a proxy, repeated by {@link ProxyAuthenticator} with different {@code Proxy-Authorization}
 * values until the proxy accepts. The CONNECT tunnel implements it over its socket.
 */
public interface ProxyExchange {
    /**
     * Sends the request.
     *
     * @param authorization  the {@code Proxy-Authorization} value, empty for none
     * @param sameConnection whether the request must go on the connection of the previous one (a
     *                       connection-bound handshake such as NTLM); when the proxy closed it, this fails
     *                       instead of opening another
     */
    ProxyAnswer send(Optional<String> authorization, boolean sameConnection) throws IOException;
}
