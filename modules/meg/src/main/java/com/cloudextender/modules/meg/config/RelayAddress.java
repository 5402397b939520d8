package com.cloudextender.modules.meg.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A relay endpoint the tunnel connects to.
 *
 * @param host the relay's host name, verified against its certificate
 * @param port its TLS port
 */
public record RelayAddress(String host, int port) {
    /**
     * Parses {@code relay.example:443,relay2.example:8443}; the port defaults to 443.
     *
     * @throws IllegalArgumentException naming {@code relay.addresses} and the entry
     */
    public static List<RelayAddress> parseList(String text) {
        List<RelayAddress> out = new ArrayList<>();
        for (String item : text.split(",")) {
            String t = item.trim();
            if (t.isEmpty()) {
                continue;
            }
            String host = t;
            int port = 443;
            int colon = t.lastIndexOf(':');
            if (colon > 0 && t.indexOf(']') < colon) {
                host = t.substring(0, colon);
                String p = t.substring(colon + 1);
                if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                    throw new IllegalArgumentException("relay.addresses: '" + t + "' has a bad port");
                }
                port = Integer.parseInt(p);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._:-]+")) {
                throw new IllegalArgumentException("relay.addresses: '" + t + "' is not host:port");
            }
            out.add(new RelayAddress(host, port));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("relay.addresses: no relay address; give host:port[,host:port]");
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
