package com.cloudextender.modules.support.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves nothing: the host name travels, inside a placeholder address, to the extender's socket, which gives
 * it to the proxy or resolves it itself for a direct connection.
 */
final class UnresolvedNames implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[4])};
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
